namespace GovukDeploy.Store;

/// <summary>
/// The outcome of trying to take a deploy lock: whether it was taken, and who holds it now.
/// TakenOverFrom is the lock this attempt took over (its holder had expired or stopped renewing), so the caller can say whose it was.
/// </summary>
public sealed record DeployLockAttempt(bool Acquired, DeployLock Holder, DeployLock? TakenOverFrom = null);
