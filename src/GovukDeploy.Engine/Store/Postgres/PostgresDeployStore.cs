using System.Data.Common;
using System.Net.Sockets;
using Dapper;
using GovukDeploy.Errors;
using GovukDeploy.Store.Sql;
using NodaTime;
using Npgsql;

namespace GovukDeploy.Store.Postgres;

/// <summary>
/// A team's shared store on PostgreSQL. Every write transaction first takes one
/// transaction-scoped advisory lock, so writers from any number of machines run one
/// after another (as SQLite's do) and a lock or freeze decision never races.
/// </summary>
internal sealed class PostgresDeployStore : SqlDeployStore
{
    // An arbitrary constant that names "the GovukDeploy store" among the database's advisory locks.
    private const long WriteLockKey = 0x476f76756b4470;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _host;
    private readonly int _port;
    private readonly string? _database;
    private readonly string? _username;

    public PostgresDeployStore(NpgsqlConnectionStringBuilder builder, IClock clock, TimeSpan? retryBudget = null)
        : base(clock, retryBudget ?? TimeSpan.FromSeconds(20))
    {
        _host = builder.Host ?? "localhost";
        _port = builder.Port;
        _database = builder.Database;
        _username = builder.Username;
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public override string DisplayLocation =>
        $"postgres://{(_username is null ? "" : _username + "@")}{_host}:{_port}/{_database}";

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState is "28P01" or "28000")
        {
            throw ErrorCatalogue.StoreAuthenticationFailed(DisplayLocation, $"{_host}:{_port}", _username, e.MessageText, e);
        }
        catch (PostgresException e) when (e.SqlState == "3D000")
        {
            throw ErrorCatalogue.StoreDatabaseNotFound(DisplayLocation, $"{_host}:{_port}", _database, e);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException && e is not PostgresException)
        {
            throw ErrorCatalogue.StoreUnreachable(DisplayLocation, $"{_host}:{_port}", Reason(e), e);
        }
    }

    private static string Reason(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode.ToString();
            }
            if (inner is TimeoutException)
            {
                return "timed out";
            }
        }
        return e.Message;
    }

    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = WriteLockKey }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return transaction;
    }

    protected override Task CreateAndMigrateAsync(CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            var connection = await OpenConnectionAsync(token).ConfigureAwait(false);
            await using var connectionLifetime = connection.ConfigureAwait(false);
            // A newer module's store is refused before anything is written.
            if (!await IsSchemaCurrentAsync(connection, token).ConfigureAwait(false))
            {
                await ApplyMigrationsAsync(connection, SqlDialect.Postgres, token).ConfigureAwait(false);
            }
            return true;
        }, cancellationToken);

    protected override Task<bool> HasSchemaVersionTableAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regclass('schema_version') IS NOT NULL", cancellationToken: cancellationToken));

    // Serialisation failures and deadlocks cannot normally happen behind the advisory lock, but are safe to retry.
    protected override bool IsTransient(Exception exception) =>
        exception is PostgresException { SqlState: "40001" or "40P01" or "55P03" };

    protected override Exception? Translate(Exception exception) => exception switch
    {
        GovukDeployException => null,
        NpgsqlException { InnerException: TimeoutException } e => ErrorCatalogue.StoreTimeout(DisplayLocation, $"{_host}:{_port}", e),
        PostgresException { SqlState: "42501" } e => ErrorCatalogue.StorePermissionDenied(DisplayLocation, $"{_host}:{_port}", _username, _database, e.MessageText, e),
        NpgsqlException { InnerException: IOException or SocketException } e and not PostgresException => ErrorCatalogue.StoreConnectionLost(DisplayLocation, $"{_host}:{_port}", Reason(e), e),
        _ => null,
    };

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
