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

    /// <summary>The lock this deploy took over from a process that stopped renewing it (or whose lease ran out); null when it was free.</summary>
    public DeployLock? TakenOverFrom => _lease.TakenOverFrom;

    /// <summary>What to tell the user when this deploy took over a dead process's lock; null otherwise.</summary>
    public string? TakeoverWarning => TakenOverFrom is { } previous
        ? $"Took over the deploy lock of {Application} in {Environment} from {previous.DescribeHolder()}: " +
          (previous.RenewedAt is not null && previous.RenewalInterval is { } interval && !previous.IsExpiredAt(_lease.Lock.AcquiredAt)
              ? $"it had stopped renewing it (every {interval.TotalSeconds:0.###} s), so its process is taken to have died. "
              : "its lease had run out. ") +
          "Check that its deploy is not still running (Get-Deployment -InProgress)."
        : null;

    public ValueTask DisposeAsync() => _lease.DisposeAsync();
}
