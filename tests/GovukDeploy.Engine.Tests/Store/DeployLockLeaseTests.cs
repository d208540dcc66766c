using GovukDeploy.Errors;
using GovukDeploy.Store;
using GovukDeploy.Store.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace GovukDeploy.Tests.Store;

public sealed class DeployLockLeaseTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "govuk-deploy-tests", Guid.NewGuid().ToString("N"));
    private IDeployStore _store = null!;

    public Task InitializeAsync()
    {
        // Real time: the lease renews itself on a timer.
        _store = new SqliteDeployStore(Path.Combine(_folder, "store.db"), SystemClock.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task ALeaseKeepsItsLockAliveUntilDisposed()
    {
        var lease = TimeSpan.FromMilliseconds(1500);
        await using (var held = await DeployLockLease.AcquireAsync(_store, "whitehall", "production", "alice@host:1", lease))
        {
            await Task.Delay(lease + TimeSpan.FromMilliseconds(700)); // longer than the lease: only renewals keep it
            Assert.True(held.StillHeld);
            var error = await Assert.ThrowsAsync<GovukDeployException>(() => DeployLockLease.AcquireAsync(_store, "whitehall", "production", "bob@host:2", lease));
            Assert.Equal(("DeployLocked", ErrorKind.ResourceBusy), (error.ErrorId, error.Kind));
            Assert.Contains("alice@host:1", error.Message);
        }
        Assert.Null(await _store.GetLockAsync("whitehall", "production"));
        await using var next = await DeployLockLease.AcquireAsync(_store, "whitehall", "production", "bob@host:2", lease);
        Assert.Equal("bob@host:2", next.Lock.Owner);
    }

    [Fact]
    public async Task ALeaseThatKeepsRenewingIsNeverTakenOver()
    {
        // A second between renewals, so that a test host busy for a moment cannot delay one past the
        // takeover (two missed intervals); 3.2 s in all, longer than a lock lives without its renewals.
        var every = TimeSpan.FromSeconds(1);
        await using var held = await DeployLockLease.AcquireAsync(_store, "whitehall", "production", "alice@host:1", TimeSpan.FromMinutes(10), every);
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(800));
            var error = await Assert.ThrowsAsync<GovukDeployException>(() => DeployLockLease.AcquireAsync(_store, "whitehall", "production", "bob@host:2", TimeSpan.FromMinutes(10), every));
            Assert.Equal("DeployLocked", error.ErrorId);
            Assert.Contains("can be taken over after", error.Message);
        }
        Assert.True(held.StillHeld);
        Assert.Null(held.TakenOverFrom);
    }

    [Fact]
    public async Task ALockWhoseProcessDiedIsTakenOverAfterTwoMissedRenewals()
    {
        var every = TimeSpan.FromMilliseconds(100);
        // alice took the lock and promised to renew it, then her process died: nobody renews it.
        Assert.True((await _store.TryAcquireLockAsync("whitehall", "production", "alice@host:1", TimeSpan.FromMinutes(10), every)).Acquired);
        await Task.Delay(every * 3);

        await using var next = await DeployLockLease.AcquireAsync(_store, "whitehall", "production", "bob@host:2", TimeSpan.FromMinutes(10), every);
        Assert.Equal("bob@host:2", next.Lock.Owner);
        Assert.Equal("alice@host:1", next.TakenOverFrom!.Owner);
    }

    [Fact]
    public async Task ARenewalIntervalMustBeShorterThanTheLease()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => DeployLockLease.AcquireAsync(_store, "whitehall", "production", "alice", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        Assert.Null(await _store.GetLockAsync("whitehall", "production"));
    }

    [Fact]
    public void TheDefaultOwnerNamesUserMachineAndProcess()
    {
        Assert.Equal($"alice@{Environment.MachineName}:{Environment.ProcessId}", DeployLockLease.DefaultOwner("alice"));
    }
}
