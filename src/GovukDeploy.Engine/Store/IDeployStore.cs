namespace GovukDeploy.Store;

/// <summary>
/// The release store: the application catalogue, deploy freezes, deployments, the
/// audit log and deploy locks. Every change writes its audit event(s) in the same
/// transaction as the change; actors are named by the caller, times come from the
/// store's clock. Implementations are safe to share between threads and processes.
/// </summary>
public interface IDeployStore : IAsyncDisposable
{
    /// <summary>Where the store lives, fit to show a user (never holds a password).</summary>
    string DisplayLocation { get; }

    /// <summary>Creates the store if needed and applies pending migrations; every other call does this first.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Application>> GetApplicationsAsync(ApplicationQuery query, CancellationToken cancellationToken = default);

    /// <summary>One application by exact name (ignoring case), retired or not; null when absent.</summary>
    Task<Application?> GetApplicationAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Adds or updates many applications in one transaction: all or nothing.</summary>
    Task<UpsertResult> UpsertApplicationsAsync(IReadOnlyList<Application> applications, string actor, CancellationToken cancellationToken = default);

    /// <summary>Adds one application; ApplicationExists when the name is taken.</summary>
    Task AddApplicationAsync(Application application, string actor, CancellationToken cancellationToken = default);

    /// <summary>Replaces one application's fields; ApplicationNotFound when absent. Returns whether anything changed.</summary>
    Task<bool> UpdateApplicationAsync(Application application, string actor, CancellationToken cancellationToken = default);

    /// <summary>Removes one application (its history stays in the audit log); ApplicationNotFound when absent.</summary>
    Task<Application> RemoveApplicationAsync(string name, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Turns an application's confidential mode on or off with its audit event, in one transaction. Turning
    /// it off returns the deploys recorded while it was on. Asking for the mode it already has changes nothing.
    /// </summary>
    Task<ConfidentialChange> SetConfidentialAsync(ConfidentialRequest request, string actor, CancellationToken cancellationToken = default);

    /// <summary>Sets many freezes in one transaction; a freeze already in force for the same application and environment is lifted and kept as history.</summary>
    Task<IReadOnlyList<DeployFreeze>> SetFreezesAsync(IReadOnlyList<FreezeRequest> requests, string actor, CancellationToken cancellationToken = default);

    /// <summary>Lifts the freezes in force for the targets in one transaction; returns those lifted.</summary>
    Task<IReadOnlyList<DeployFreeze>> LiftFreezesAsync(IReadOnlyList<FreezeTarget> targets, string actor, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DeployFreeze>> GetFreezesAsync(FreezeQuery query, CancellationToken cancellationToken = default);

    /// <summary>Records a deploy as InProgress and returns its id.</summary>
    Task<long> StartDeploymentAsync(DeploymentStart start, CancellationToken cancellationToken = default);

    /// <summary>Records how a deploy ended; DeploymentNotFound when the id is unknown.</summary>
    Task<Deployment> FinishDeploymentAsync(long id, DeploymentFinish finish, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a deploy recorded at trigger time (with its queue item) the build it became. An observed
    /// record of the same build (a sync that saw it first) is removed in the same transaction, so the
    /// build is counted once. DeploymentNotFound when the id is unknown.
    /// </summary>
    Task<Deployment> AttachDeploymentBuildAsync(long id, string buildUrl, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Deployment>> GetDeploymentsAsync(DeploymentQuery query, CancellationToken cancellationToken = default);

    Task<Deployment?> GetDeploymentAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>The newest Succeeded deploy (task "deploy", not a migration or restart) of the application to the environment, or null.</summary>
    Task<Deployment?> GetLatestSuccessfulDeploymentAsync(string application, string environment, CancellationToken cancellationToken = default);

    /// <summary>
    /// The newest Succeeded deploy (task "deploy") of each application to each environment, in one query;
    /// null or empty <paramref name="applications"/> means every application.
    /// </summary>
    Task<IReadOnlyList<Deployment>> GetLatestSuccessfulDeploymentsAsync(IReadOnlyList<string>? applications, CancellationToken cancellationToken = default);

    /// <summary>How long the newest <paramref name="count"/> successful deploys took, newest first.</summary>
    Task<IReadOnlyList<TimeSpan>> GetRecentDeployDurationsAsync(string application, string environment, int count, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records deploys observed in another source and that source's new watermark, in one transaction.
    /// A deploy whose build URL the store already holds is not added twice: one of ours stays as it is,
    /// an observed one is brought up to date (a build that was running has ended).
    /// </summary>
    Task<ObservedBatchResult> RecordObservedAsync(ObservedBatch batch, CancellationToken cancellationToken = default);

    /// <summary>How far each observed source has been read.</summary>
    Task<IReadOnlyList<SyncState>> GetSyncStatesAsync(CancellationToken cancellationToken = default);

    /// <summary>Appends an event that no other store operation writes (e.g. GateOverridden).</summary>
    Task<AuditEvent> AppendAuditEventAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditEvent>> GetAuditEventsAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the deploy lock for an application and environment, exclusive across processes
    /// and machines, in one conditional statement so that two takers never both win. A lock may be
    /// taken over when its lease has run out, or when its holder promised to renew every
    /// renewalInterval and has not renewed for more than twice that (it has died); the attempt then
    /// names the lock it took over, and the audit log says whose it was. The same owner
    /// re-acquiring extends its lease. Without renewalInterval the new lock is freed only by expiry.
    /// </summary>
    Task<DeployLockAttempt> TryAcquireLockAsync(string application, string environment, string owner, TimeSpan lease, TimeSpan? renewalInterval = null, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease the owner still holds and records the renewal; false when it holds it no longer.</summary>
    Task<bool> RenewLockAsync(string application, string environment, string owner, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Releases the owner's lock; doing so twice, or after a takeover, is harmless.</summary>
    Task ReleaseLockAsync(string application, string environment, string owner, CancellationToken cancellationToken = default);

    /// <summary>The lock on an application and environment, expired or not; null when none.</summary>
    Task<DeployLock?> GetLockAsync(string application, string environment, CancellationToken cancellationToken = default);
}
