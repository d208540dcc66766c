using GovukDeploy.Errors;

namespace GovukDeploy.Store;

/// <summary>
/// A held deploy lock that renews itself while the deploy runs and is released on dispose.
/// If the process dies, renewals stop and the lease runs out, so the next deploy can take over.
/// </summary>
public sealed class DeployLockLease : IAsyncDisposable
{
    private readonly IDeployStore _store;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewals;
    private int _disposed;

    private DeployLockLease(IDeployStore store, DeployLock held, TimeSpan lease)
    {
        _store = store;
        Lock = held;
        _renewals = RenewAsync(lease);
    }

    public DeployLock Lock { get; }

    /// <summary>False once a renewal found the lock taken over (the lease had run out); the deploy should stop.</summary>
    public bool StillHeld { get; private set; } = true;

    /// <summary>Who is asking: user, machine and process, so a stale lock says whose it was.</summary>
    public static string DefaultOwner(string? actor = null) =>
        $"{(string.IsNullOrWhiteSpace(actor) ? Environment.UserName : actor)}@{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Takes the lock or throws DeployLocked (ResourceBusy) naming its holder and when its lease ends.</summary>
    public static async Task<DeployLockLease> AcquireAsync(IDeployStore store, string application, string environment, string owner, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        if (lease <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lease), lease, "A lease must be longer than zero.");
        }
        var attempt = await store.TryAcquireLockAsync(application, environment, owner, lease, cancellationToken).ConfigureAwait(false);
        if (!attempt.Acquired)
        {
            throw ErrorCatalogue.DeployLocked(application, environment, attempt.Holder);
        }
        return new DeployLockLease(store, attempt.Holder, lease);
    }

    private async Task RenewAsync(TimeSpan lease)
    {
        // Renew well before the lease ends, so one slow renewal does not lose the lock.
        var interval = TimeSpan.FromTicks(Math.Max(lease.Ticks / 3, TimeSpan.FromMilliseconds(10).Ticks));
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
                try
                {
                    if (!await _store.RenewLockAsync(Lock.Application, Lock.Environment, Lock.Owner, lease, _stop.Token).ConfigureAwait(false))
                    {
                        StillHeld = false;
                        return;
                    }
                }
                catch (GovukDeployException)
                {
                    // A busy or briefly unreachable store: try again at the next interval, while the lease lasts.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _stop.Cancel();
        await _renewals.ConfigureAwait(false);
        _stop.Dispose();
        await _store.ReleaseLockAsync(Lock.Application, Lock.Environment, Lock.Owner).ConfigureAwait(false);
    }
}
