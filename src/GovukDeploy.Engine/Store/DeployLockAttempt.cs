namespace GovukDeploy.Store;

/// <summary>The outcome of trying to take a deploy lock: whether it was taken, and who holds it now.</summary>
public sealed record DeployLockAttempt(bool Acquired, DeployLock Holder);
