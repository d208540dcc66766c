using System.Diagnostics;
using GovukDeploy.Errors;
using GovukDeploy.Store;
using GovukDeploy.Store.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Testing;

namespace GovukDeploy.Tests.Store;

/// <summary>What only the SQLite store promises: its file, its journal mode, corrupt files and a busy file.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "govuk-deploy-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 26, 10, 0));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task TheFileIsCreatedOnFirstUseWithItsFolderReadableByItsOwnerOnly()
    {
        var path = Path.Combine(_folder, "nested", "deeper", "store.db");
        await using var store = DeployStoreFactory.Open("sqlite:" + path, clock: _clock);
        Assert.False(File.Exists(path)); // nothing happens until the store is used

        await store.GetApplicationsAsync(ApplicationQuery.All);

        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "SELECT version FROM schema_version";
        Assert.Equal(1L, (long?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AFileThatIsNotADatabaseIsRefusedAndLeftUntouched()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "store.db");
        var content = "this is not a database, it is someone's notes\n"u8.ToArray();
        await File.WriteAllBytesAsync(path, content);

        await using var store = new SqliteDeployStore(path, _clock);
        var error = await Assert.ThrowsAsync<GovukDeployException>(() => store.UpsertApplicationsAsync([new Application { Name = "a", Repository = "o/a", DeployName = "a" }], "alice"));

        Assert.Equal("StoreCorrupt", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        Assert.Contains(path, error.Message);
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.False(File.Exists(path + "-wal"));
    }

    [Fact]
    public async Task ADatabaseDamagedPastItsHeaderGivesStoreCorrupt()
    {
        var path = Path.Combine(_folder, "store.db");
        await using (var store = new SqliteDeployStore(path, _clock))
        {
            await store.UpsertApplicationsAsync(Enumerable.Range(0, 200).Select(i => new Application { Name = $"app-{i}", Repository = $"o/app-{i}", DeployName = $"app-{i}" }).ToList(), "alice");
        }
        SqliteConnection.ClearAllPools();
        // Checkpoint the WAL into the file, then scribble over every page after the first.
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await command.ExecuteNonQueryAsync();
        }
        var bytes = await File.ReadAllBytesAsync(path);
        for (var i = 4096; i < bytes.Length; i++)
        {
            bytes[i] = 0x5A;
        }
        await File.WriteAllBytesAsync(path, bytes);

        await using var damaged = new SqliteDeployStore(path, _clock);
        var error = await Assert.ThrowsAsync<GovukDeployException>(() => damaged.GetApplicationsAsync(ApplicationQuery.All));
        Assert.Equal("StoreCorrupt", error.ErrorId);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task AStoreThatCannotBeCreatedSaysWhy()
    {
        Directory.CreateDirectory(_folder);
        var blocker = Path.Combine(_folder, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder");
        await using var store = new SqliteDeployStore(Path.Combine(blocker, "store.db"), _clock);

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => store.InitializeAsync());
        Assert.Equal("StoreUnavailable", error.ErrorId);
        Assert.Contains(blocker, error.Message);
    }

    [Fact]
    public async Task AWriterBlockedPastTheRetryBudgetGetsStoreBusy()
    {
        var path = Path.Combine(_folder, "store.db");
        await using var store = new SqliteDeployStore(path, _clock, retryBudget: TimeSpan.FromMilliseconds(600), busyTimeout: TimeSpan.FromMilliseconds(100));
        await store.InitializeAsync();

        // Another "process" holds the write lock for longer than the store will wait.
        await using var holder = new SqliteConnection($"Data Source={path};Pooling=False");
        await holder.OpenAsync();
        await using var transaction = holder.BeginTransaction(deferred: false);

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<GovukDeployException>(() => store.SetFreezesAsync([new FreezeRequest("whitehall", "production", "r", "c")], "alice"));
        Assert.Equal("StoreBusy", error.ErrorId);
        Assert.Equal(ErrorKind.ResourceBusy, error.Kind);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));

        // Readers are not blocked by a writer in WAL mode.
        Assert.Empty(await store.GetFreezesAsync(FreezeQuery.Current));
    }

    [Fact]
    public async Task AWriterWaitsForABriefLockInsteadOfFailing()
    {
        var path = Path.Combine(_folder, "store.db");
        await using var store = new SqliteDeployStore(path, _clock, retryBudget: TimeSpan.FromSeconds(10), busyTimeout: TimeSpan.FromMilliseconds(50));
        await store.InitializeAsync();

        var holder = new SqliteConnection($"Data Source={path};Pooling=False");
        await holder.OpenAsync();
        var transaction = holder.BeginTransaction(deferred: false);
        var release = Task.Run(async () =>
        {
            await Task.Delay(400);
            await transaction.DisposeAsync();
            await holder.DisposeAsync();
        });

        var set = await store.SetFreezesAsync([new FreezeRequest("whitehall", "production", "r", "c")], "alice");
        await release;
        Assert.Single(set);
    }
}
