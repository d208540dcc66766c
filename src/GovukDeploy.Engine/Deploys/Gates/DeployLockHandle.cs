using GovukDeploy.Store;

namespace GovukDeploy.Deploys.Gates;

/// <summary>The deploy lock this process holds for an application and environment (a self-renewing lease); disposing releases it.</summary>
public sealed class DeployLockHandle : IAsyncDisposable
{
    private readonly DeployLockLease _lease;

    internal DeployLockHandle(DeployLockLease lease) => _lease = lease;

    public string Application => _lease.Lock.Application;
    public string Environment => _lease.Lock.Environment;
    public string Owner => _lease.Lock.Owner;

    /// <summary>False once another deploy took the lock over (this one's lease had lapsed).</summary>
    public bool StillHeld => _lease.StillHeld;

    public ValueTask DisposeAsync() => _lease.DisposeAsync();
}
