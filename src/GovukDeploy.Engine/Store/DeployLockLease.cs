using GovukDeploy.Errors;

namespace GovukDeploy.Store;

/// <summary>
/// A held deploy lock that renews itself every renewal interval while the deploy runs and is released
/// on dispose. If the process dies, renewals stop: after twice the interval without one, the next deploy
/// may take the lock over (and is told whose it was); failing that, the lease runs out.
/// </summary>
public sealed class DeployLockLease : IAsyncDisposable
{
    private readonly IDeployStore _store;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewals;
    private int _disposed;

    private DeployLockLease(IDeployStore store, DeployLockAttempt attempt, TimeSpan lease, TimeSpan renewalInterval)
    {
        _store = store;
        Lock = attempt.Holder;
        TakenOverFrom = attempt.TakenOverFrom;
        RenewalInterval = renewalInterval;
        _renewals = RenewAsync(lease, renewalInterval);
    }

    public DeployLock Lock { get; }

    /// <summary>The lock this lease took over from a holder that had died or whose lease had run out; null when the lock was free.</summary>
    public DeployLock? TakenOverFrom { get; }

    public TimeSpan RenewalInterval { get; }

    /// <summary>False once a renewal found the lock taken over (this process had stopped renewing); the deploy should stop.</summary>
    public bool StillHeld { get; private set; } = true;

    /// <summary>Who is asking: user, machine and process, so a stale lock says whose it was.</summary>
    public static string DefaultOwner(string? actor = null) =>
        $"{(string.IsNullOrWhiteSpace(actor) ? Environment.UserName : actor)}@{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>A third of the lease, when no renewal interval is given.</summary>
    public static TimeSpan DefaultRenewalInterval(TimeSpan lease) =>
        TimeSpan.FromTicks(Math.Max(lease.Ticks / 3, TimeSpan.FromMilliseconds(10).Ticks));

    /// <summary>
    /// Takes the lock or throws DeployLocked (ResourceBusy) naming its holder, when it last renewed and
    /// when it could be taken over. The lease renews every renewalInterval (default a third of the lease).
    /// </summary>
    public static async Task<DeployLockLease> AcquireAsync(IDeployStore store, string application, string environment, string owner, TimeSpan lease,
        TimeSpan? renewalInterval = null, CancellationToken cancellationToken = default)
    {
        if (lease <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lease), lease, "A lease must be longer than zero.");
        }
        var interval = renewalInterval ?? DefaultRenewalInterval(lease);
        if (interval <= TimeSpan.Zero || interval >= lease)
        {
            throw new ArgumentOutOfRangeException(nameof(renewalInterval), interval, "A lease must be renewed more often than it lasts.");
        }
        var attempt = await store.TryAcquireLockAsync(application, environment, owner, lease, interval, cancellationToken).ConfigureAwait(false);
        if (!attempt.Acquired)
        {
            throw ErrorCatalogue.DeployLocked(application, environment, attempt.Holder);
        }
        return new DeployLockLease(store, attempt, lease, interval);
    }

    /// <summary>"; last renewed ..., free to take over after ... if it stops renewing": when a dead holder's lock frees up.</summary>
    internal static string Renewal(DeployLock holder) =>
        holder.AbandonedAfter is { } after
            ? $"; it last renewed the lock at {holder.RenewedAt:u}, and if its process has died the lock can be taken over after {after:u}"
            : $"; the lock lapses at {holder.ExpiresAt:u} unless renewed";

    private async Task RenewAsync(TimeSpan lease, TimeSpan interval)
    {
        // After a failed renewal, try again sooner: two missed intervals and the lock may be taken over.
        var retry = TimeSpan.FromTicks(Math.Max(interval.Ticks / 4, TimeSpan.FromMilliseconds(5).Ticks));
        var wait = interval;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(wait, _stop.Token).ConfigureAwait(false);
                try
                {
                    if (!await _store.RenewLockAsync(Lock.Application, Lock.Environment, Lock.Owner, lease, _stop.Token).ConfigureAwait(false))
                    {
                        StillHeld = false;
                        return;
                    }
                    wait = interval;
                }
                catch (GovukDeployException)
                {
                    // A busy or briefly unreachable store: try again soon, while the lock is still ours.
                    wait = retry;
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
