using GovukDeploy.Errors;
using GovukDeploy.Store;

namespace GovukDeploy.Catalogue;

/// <summary>
/// The catalogue as the cmdlets use it: validation, "did you mean" hints and imports on top
/// of the store. The actor (GitHub login or OS user) is named once, by the caller.
/// </summary>
public sealed class ApplicationService
{
    private readonly IDeployStore _store;
    private readonly string _actor;

    public ApplicationService(IDeployStore store, string actor)
    {
        _store = store;
        _actor = string.IsNullOrWhiteSpace(actor) ? Environment.UserName : actor;
    }

    public async Task<ApplicationLookup> GetAsync(IReadOnlyList<string>? names, string? team = null, bool includeRetired = false, CancellationToken cancellationToken = default)
    {
        var found = await _store.GetApplicationsAsync(new ApplicationQuery { Names = names, Team = team, IncludeRetired = includeRetired }, cancellationToken).ConfigureAwait(false);
        var missing = new List<GovukDeployException>();
        foreach (var name in (names ?? []).Where(n => !string.IsNullOrWhiteSpace(n) && !NamePattern.HasWildcards(n)))
        {
            if (!found.Any(a => a.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                missing.Add(await NotFoundAsync(name, cancellationToken).ConfigureAwait(false));
            }
        }
        return new ApplicationLookup(found, missing);
    }

    /// <summary>One application by name, retired or not; ApplicationNotFound with the nearest names when absent.</summary>
    public async Task<Application> GetRequiredAsync(string name, CancellationToken cancellationToken = default) =>
        await _store.GetApplicationAsync(name, cancellationToken).ConfigureAwait(false)
        ?? throw await NotFoundAsync(name, cancellationToken).ConfigureAwait(false);

    /// <summary>ApplicationNotFound for a name, suggesting the nearest names in the catalogue.</summary>
    public async Task<GovukDeployException> NotFoundAsync(string name, CancellationToken cancellationToken = default)
    {
        var all = await _store.GetApplicationsAsync(new ApplicationQuery { IncludeRetired = true }, cancellationToken).ConfigureAwait(false);
        return ErrorCatalogue.ApplicationNotFound(name, NameSuggestions.For(name, all.Select(a => a.Name)));
    }

    /// <summary>Reads a catalogue file and upserts every entry in one transaction, or nothing when the file has any problem.</summary>
    public Task<CatalogueImportResult> ImportFileAsync(string path, string? organisation = null, CancellationToken cancellationToken = default) =>
        ImportAsync(CatalogueParser.ParseFile(path, organisation), cancellationToken);

    public async Task<CatalogueImportResult> ImportAsync(IReadOnlyList<CatalogueEntry> entries, CancellationToken cancellationToken = default)
    {
        var applications = entries.Select(e => e.Application).ToList();
        var result = await _store.UpsertApplicationsAsync(applications, _actor, cancellationToken).ConfigureAwait(false);
        return new CatalogueImportResult(result.Added, result.Changed, result.Unchanged, applications);
    }

    /// <param name="repository">owner/name; defaults to <paramref name="organisation"/>/<paramref name="name"/>.</param>
    public async Task<Application> NewAsync(string name, string? repository = null, string? deployName = null, string? team = null, string? type = null,
        string? releaseTagPattern = null, string? organisation = null, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        var application = new Application
        {
            Name = name.Trim(),
            Repository = ValidateRepository(repository ?? $"{(string.IsNullOrWhiteSpace(organisation) ? CatalogueParser.DefaultOrganisation : organisation.Trim())}/{name.Trim()}"),
            DeployName = ValidateDeployName(deployName ?? name.Trim()),
            Team = Blank(team),
            Type = Blank(type),
            ReleaseTagPattern = ValidatePattern(releaseTagPattern ?? "release_*"),
        };
        await _store.AddApplicationAsync(application, _actor, cancellationToken).ConfigureAwait(false);
        return application;
    }

    public async Task<Application> SetAsync(string name, ApplicationChanges changes, CancellationToken cancellationToken = default)
    {
        var current = await GetRequiredAsync(name, cancellationToken).ConfigureAwait(false);
        var updated = new Application
        {
            Name = current.Name,
            Repository = changes.Repository is null ? current.Repository : ValidateRepository(changes.Repository),
            DeployName = changes.DeployName is null ? current.DeployName : ValidateDeployName(changes.DeployName),
            Team = changes.Team is null ? current.Team : Blank(changes.Team),
            Type = changes.Type is null ? current.Type : Blank(changes.Type),
            Retired = changes.Retired ?? current.Retired,
            ReleaseTagPattern = changes.ReleaseTagPattern is null ? current.ReleaseTagPattern : ValidatePattern(changes.ReleaseTagPattern),
            // Confidential mode changes only through SetConfidentialAsync, audited with its reason.
            Confidential = current.Confidential,
            ConfidentialSince = current.ConfidentialSince,
            ConfidentialSetBy = current.ConfidentialSetBy,
            VisibilityWhenConfidential = current.VisibilityWhenConfidential,
        };
        await _store.UpdateApplicationAsync(updated, _actor, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    /// <summary>Removes an application; its history stays in the audit log.</summary>
    public async Task<Application> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        await GetRequiredAsync(name, cancellationToken).ConfigureAwait(false);
        return await _store.RemoveApplicationAsync(name, _actor, cancellationToken).ConfigureAwait(false);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || !CatalogueParser.ValidName().IsMatch(name.Trim()))
        {
            throw ErrorCatalogue.InvalidApplicationName(name);
        }
    }

    private static string ValidateRepository(string repository)
    {
        var parts = repository.Trim().Split('/');
        if (parts.Length != 2 || !parts.All(p => CatalogueParser.ValidName().IsMatch(p)))
        {
            throw ErrorCatalogue.InvalidRepository(repository);
        }
        return repository.Trim();
    }

    private static string ValidateDeployName(string deployName)
    {
        if (string.IsNullOrWhiteSpace(deployName) || deployName.Trim().Any(char.IsWhiteSpace))
        {
            throw ErrorCatalogue.InvalidDeployName(deployName);
        }
        return deployName.Trim();
    }

    private static string ValidatePattern(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern) || !pattern.Contains('*'))
        {
            throw ErrorCatalogue.InvalidReleaseTagPattern(pattern);
        }
        return pattern.Trim();
    }
}
