using System.Data.Common;
using Dapper;
using GovukDeploy.Platform;
using GovukDeploy.Store.Sql;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace GovukDeploy.Store.Sqlite;

/// <summary>
/// The embedded store: one SQLite file per user, in WAL mode so readers never wait for
/// the writer. Writers take the file's write lock up front (BEGIN IMMEDIATE) so that two
/// sessions never deadlock upgrading read locks; a busy file is waited for (busy_timeout)
/// and retried with jittered backoff within a bounded time, then reported as StoreBusy.
/// </summary>
internal sealed class SqliteDeployStore : SqlDeployStore
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;
    private static readonly byte[] Header = "SQLite format 3\0"u8.ToArray();

    private readonly string _connectionString;
    private readonly TimeSpan _busyTimeout;

    public SqliteDeployStore(string path, IClock clock, TimeSpan? retryBudget = null, TimeSpan? busyTimeout = null)
        : base(clock, retryBudget ?? TimeSpan.FromSeconds(20))
    {
        Path = System.IO.Path.GetFullPath(path);
        _busyTimeout = busyTimeout ?? TimeSpan.FromSeconds(2);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Bounds the driver's own wait on a locked file; our retry policy takes it from there.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(_busyTimeout.TotalSeconds)),
        }.ToString();
    }

    public string Path { get; }

    public override string DisplayLocation => $"sqlite:{Path}";

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Pooled connections keep their pragmas, but a fresh one needs them; both are cheap.
            await connection.ExecuteAsync($"PRAGMA busy_timeout = {(int)_busyTimeout.TotalMilliseconds}").ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // deferred: false is BEGIN IMMEDIATE: take the write lock now, not at the first write.
        await Task.FromResult(((SqliteConnection)connection).BeginTransaction(deferred: false)).ConfigureAwait(false);

    protected override async Task CreateAndMigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            CheckOrCreateFile();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.ErrorCatalogue.StoreUnavailable(DisplayLocation, e.Message, e);
        }
        await RunAsync(async token =>
        {
            var connection = await OpenConnectionAsync(token).ConfigureAwait(false);
            await using var connectionLifetime = connection.ConfigureAwait(false);
            // A newer module's store is refused before anything (even the journal mode) is touched.
            if (await IsSchemaCurrentAsync(connection, token).ConfigureAwait(false))
            {
                return true;
            }
            var mode = await connection.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: token)).ConfigureAwait(false);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw Errors.ErrorCatalogue.StoreCorrupt(DisplayLocation, $"it cannot be switched to WAL mode (it reports '{mode}')");
            }
            await ApplyMigrationsAsync(connection, SqlDialect.Sqlite, token).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<bool> HasSchemaVersionTableAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;

    /// <summary>
    /// Creates a missing store file (and its folder) readable by its owner only; refuses an
    /// existing file that is not a SQLite database rather than let SQLite touch it.
    /// </summary>
    private void CheckOrCreateFile()
    {
        if (File.Exists(Path))
        {
            var length = new FileInfo(Path).Length;
            if (length == 0)
            {
                return;
            }
            var header = new byte[Header.Length];
            using (var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            }
            if (!header.AsSpan().SequenceEqual(Header))
            {
                throw Errors.ErrorCatalogue.StoreCorrupt(DisplayLocation, "the file does not start with a SQLite header");
            }
            return;
        }
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (new FileStream(Path, options))
            {
            }
            PlatformPaths.RestrictToOwner(Path);
        }
        catch (IOException) when (File.Exists(Path))
        {
            // Another process created it first; it is theirs to initialise or ours to migrate.
        }
    }

    protected override bool IsTransient(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked };

    protected override Exception? Translate(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SqliteCorrupt or SqliteNotADatabase } e => Errors.ErrorCatalogue.StoreCorrupt(DisplayLocation, e.Message, e),
        SqliteException { SqliteErrorCode: 8 } e => Errors.ErrorCatalogue.StoreReadOnly(DisplayLocation, e.Message, e),
        SqliteException { SqliteErrorCode: 14 } e => Errors.ErrorCatalogue.StoreUnavailable(DisplayLocation, e.Message, e),
        _ => null,
    };

    public override async ValueTask DisposeAsync()
    {
        // Pooled connections hold the file open; let it go so that it can be moved or deleted.
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
