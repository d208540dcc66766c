using GovukDeploy.Errors;

namespace GovukDeploy.Store;

/// <summary>The errors the store raises, so that every backend words them the same way.</summary>
public static class StoreErrors
{
    public static GovukDeployException Busy(string location, TimeSpan waited, Exception? inner = null) => new(
        "StoreBusy", ErrorKind.ResourceBusy,
        $"The store at {location} stayed locked by other sessions for {waited.TotalSeconds:0.#} s. Try again in a moment, or find the process holding it (a long import or a stuck shell).",
        location, inner);

    public static GovukDeployException Corrupt(string location, string why, Exception? inner = null) => new(
        "StoreCorrupt", ErrorKind.InvalidData,
        $"The store at {location} is not a usable GovukDeploy database ({why}). It has been left untouched: restore it from a backup, or move it aside and choose another store with -Store or GOVUK_DEPLOY_STORE.",
        location, inner);

    public static GovukDeployException SchemaTooNew(string location, int storeVersion, int knownVersion) => new(
        "StoreSchemaTooNew", ErrorKind.InvalidOperation,
        $"The store at {location} has schema version {storeVersion}, newer than this module knows ({knownVersion}). Upgrade the GovukDeploy module (Update-Module GovukDeploy); the store has not been modified.",
        location);

    public static GovukDeployException ApplicationExists(string name) => new(
        "ApplicationExists", ErrorKind.ResourceExists,
        $"An application named '{name}' is already in the catalogue. Use Set-Application to change it, or choose another name.",
        name);

    public static GovukDeployException ApplicationNotFound(string name, IReadOnlyList<string>? suggestions = null) => new(
        "ApplicationNotFound", ErrorKind.ObjectNotFound,
        $"No application named '{name}' is in the catalogue."
            + (suggestions is { Count: > 0 } ? $" Did you mean {string.Join(", ", suggestions.Select(s => $"'{s}'"))}?" : "")
            + " Get-Application lists the catalogue; Import-Application or New-Application adds to it.",
        name);

    public static GovukDeployException DeploymentNotFound(long id) => new(
        "DeploymentNotFound", ErrorKind.ObjectNotFound,
        $"No deployment with id {id} is recorded in the store. Get-Deployment lists the recorded deployments.",
        id);

    public static GovukDeployException InvalidLocation(string value) => new(
        "InvalidStore", ErrorKind.InvalidArgument,
        $"'{value}' is not a store location. Use sqlite:<path> (e.g. sqlite:~/govuk-deploy.db), a PostgreSQL URL (postgres://user@host:5432/database), or a PostgreSQL connection string (Host=...;Database=...;Username=...).",
        value);
}
