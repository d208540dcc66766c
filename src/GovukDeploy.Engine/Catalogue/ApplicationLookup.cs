using GovukDeploy.Errors;

namespace GovukDeploy.Catalogue;

/// <summary>
/// The applications a Get-Application call found, and one ApplicationNotFound error (with
/// suggestions) for each plain name that matched nothing. A wildcard that matches nothing is
/// not an error, as with PowerShell's own Get- cmdlets.
/// </summary>
public sealed record ApplicationLookup(IReadOnlyList<Application> Found, IReadOnlyList<GovukDeployException> Missing);
