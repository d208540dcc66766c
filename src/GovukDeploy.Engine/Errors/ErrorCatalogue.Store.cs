using GovukDeploy.Store;

namespace GovukDeploy.Errors;

/// <summary>The store (SQLite or PostgreSQL), the catalogue's records in it, freezes and deploy locks.</summary>
public static partial class ErrorCatalogue
{
    public static GovukDeployException InvalidStore(string value) => new(
        nameof(InvalidStore), ErrorKind.InvalidArgument,
        $"'{value}' is not a store location. Use sqlite:<path> (e.g. sqlite:~/govuk-deploy.db), a PostgreSQL URL (postgres://user@host:5432/database), or a PostgreSQL connection string (Host=...;Database=...;Username=...).",
        value);

    public static GovukDeployException StoreBusy(string location, TimeSpan waited, Exception? inner = null) => new(
        nameof(StoreBusy), ErrorKind.ResourceBusy,
        $"The store at {location} stayed locked by other sessions for {waited.TotalSeconds:0.#} s. Try again in a moment, or find the process holding it (a long import or a stuck shell).",
        location, inner);

    public static GovukDeployException StoreCorrupt(string location, string why, Exception? inner = null) => new(
        nameof(StoreCorrupt), ErrorKind.InvalidData,
        $"The store at {location} is not a usable GovukDeploy database ({why}). It has been left untouched: restore it from a backup, or move it aside and choose another store with -Store or GOVUK_DEPLOY_STORE.",
        location, inner);

    public static GovukDeployException StoreSchemaTooNew(string location, int storeVersion, int knownVersion) => new(
        nameof(StoreSchemaTooNew), ErrorKind.InvalidOperation,
        $"The store at {location} has schema version {storeVersion}, newer than this module knows ({knownVersion}). Upgrade the GovukDeploy module (Update-Module GovukDeploy); the store has not been modified.",
        location);

    /// <summary>A SQLite store whose file or folder cannot be created, read or opened.</summary>
    public static GovukDeployException StoreUnavailable(string location, string why, Exception? inner = null) => new(
        nameof(StoreUnavailable), ErrorKind.ResourceUnavailable,
        $"The store at {location} cannot be created, read or opened ({why}). Check that its folder exists and that you may read and write there, or choose another store with -Store.",
        location, inner);

    public static GovukDeployException StoreReadOnly(string location, string why, Exception? inner = null) => new(
        nameof(StoreReadOnly), ErrorKind.PermissionDenied,
        $"The store at {location} cannot be written ({why}). Check the file's permissions, or choose another store with -Store.", location, inner);

    public static GovukDeployException StoreAuthenticationFailed(string location, string server, string? user, string why, Exception? inner = null) => new(
        nameof(StoreAuthenticationFailed), ErrorKind.AuthenticationError,
        $"PostgreSQL at {server} refused user '{user}' ({why}). Give the password with Set-GovukDeployConfiguration -StoreCredential or in PGPASSWORD (a password in the store URL works for the session, but is never saved).",
        location, inner);

    public static GovukDeployException StoreDatabaseNotFound(string location, string server, string? database, Exception? inner = null) => new(
        nameof(StoreDatabaseNotFound), ErrorKind.ObjectNotFound,
        $"PostgreSQL at {server} has no database '{database}'. Create it (createdb {database}) or name another in the store location.",
        location, inner);

    public static GovukDeployException StoreUnreachable(string location, string server, string why, Exception? inner = null) => new(
        nameof(StoreUnreachable), ErrorKind.ConnectionError,
        $"Cannot connect to PostgreSQL at {server} ({why}). Check that the server is running and reachable, and the host and port in the store location.",
        location, inner);

    public static GovukDeployException StoreTimeout(string location, string server, Exception? inner = null) => new(
        nameof(StoreTimeout), ErrorKind.OperationTimeout,
        $"PostgreSQL at {server} did not answer in time. Try again; if it persists, check the server's load.", location, inner);

    public static GovukDeployException StorePermissionDenied(string location, string server, string? user, string? database, string why, Exception? inner = null) => new(
        nameof(StorePermissionDenied), ErrorKind.PermissionDenied,
        $"PostgreSQL at {server} refused user '{user}' ({why}). Grant it the right to create and write tables in database '{database}', or use another account.",
        location, inner);

    public static GovukDeployException StoreConnectionLost(string location, string server, string why, Exception? inner = null) => new(
        nameof(StoreConnectionLost), ErrorKind.ConnectionError,
        $"The connection to PostgreSQL at {server} was lost ({why}). Try again once the server is back (a change in flight is either wholly recorded or not at all; Get- cmdlets show which).",
        location, inner);

    public static GovukDeployException ApplicationExists(string name) => new(
        nameof(ApplicationExists), ErrorKind.ResourceExists,
        $"An application named '{name}' is already in the catalogue. Use Set-Application to change it, or choose another name.",
        name);

    /// <summary>
    /// No deployment with <paramref name="id"/>, or none of <paramref name="application"/> (to <paramref name="environment"/>);
    /// <paramref name="advice"/>, when given, replaces "." after what was not found (such as why nothing can be opened).
    /// </summary>
    public static GovukDeployException DeploymentNotFound(long? id = null, string? application = null, string? environment = null, string? advice = null) => new(
        nameof(DeploymentNotFound), ErrorKind.ObjectNotFound,
        $"No deployment {(id is { } i ? $"with id {i}" : application is null ? "that matches" : $"of {application}{(environment is null ? "" : $" to {environment}")}")} is recorded in the store" +
        (advice is null
            ? $". Get-Deployment{(id is null && application is not null && !application.Contains(',') ? $" -Application {application}" : "")} lists the recorded deployments."
            : $", {advice}."),
        (object?)id ?? application);

    // ---------------------------------------------------------------- freezes and locks

    public static GovukDeployException FreezeReasonRequired(string? reason) => new(
        nameof(FreezeReasonRequired), ErrorKind.InvalidArgument,
        "A freeze needs a reason (-Reason), so that whoever wants to deploy knows why they may not.", reason);

    public static GovukDeployException FreezeContactRequired(string? contact) => new(
        nameof(FreezeContactRequired), ErrorKind.InvalidArgument,
        "A freeze needs a contact (-Contact): the person or Slack channel to ask before deploying.", contact);

    public static GovukDeployException FreezeUntilInPast(DateTimeOffset until, DateTimeOffset now) => new(
        nameof(FreezeUntilInPast), ErrorKind.InvalidArgument,
        $"-Until {until:u} is not in the future (it is now {now:u}). Give a later time, or leave -Until out for a freeze that lasts until it is lifted.", until);

    public static GovukDeployException ApplicationRequired() => new(
        nameof(ApplicationRequired), ErrorKind.InvalidArgument,
        "Name at least one application (-Application), or use -Global for every application.", null);

    public static GovukDeployException DeployLocked(string application, string environment, DeployLock holder) => new(
        nameof(DeployLocked), ErrorKind.ResourceBusy,
        $"{application} is already being deployed to {environment} by {holder.Owner} (since {holder.AcquiredAt:u}{DeployLockLease.Renewal(holder)}). Wait for that deploy to finish (Get-Deployment -InProgress).",
        application);
}
