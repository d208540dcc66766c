using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Dapper;
using NodaTime;
using Polly;
using Polly.Retry;

namespace GovukDeploy.Store.Sql;

/// <summary>
/// The store contract written once in SQL that both SQLite and PostgreSQL accept
/// (RETURNING, LIKE ... ESCAPE, LIMIT, partial unique indexes). A backend supplies
/// connections, write transactions that exclude other writers (SQLite's BEGIN IMMEDIATE,
/// PostgreSQL's transaction-scoped advisory lock), its migrations and its error mapping.
/// Serialising writers is what makes concurrent sessions behave as if they ran one after another.
/// </summary>
internal abstract partial class SqlDeployStore : IDeployStore
{
    private static readonly ResiliencePropertyKey<long> StartedKey = new("GovukDeploy.Store.Started");

    private readonly SemaphoreSlim _initGate = new(1, 1);
    private readonly ResiliencePipeline _retry;
    private volatile bool _initialized;

    protected SqlDeployStore(IClock clock, TimeSpan retryBudget)
    {
        Clock = clock;
        RetryBudget = retryBudget;
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && IsTransient(e)
                    && Stopwatch.GetElapsedTime(args.Context.Properties.GetValue(StartedKey, 0L)) < RetryBudget),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(15),
                MaxDelay = TimeSpan.FromMilliseconds(400),
            })
            .Build();
    }

    protected IClock Clock { get; }

    /// <summary>How long a busy store is retried before StoreBusy is reported.</summary>
    protected TimeSpan RetryBudget { get; }

    public abstract string DisplayLocation { get; }

    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Begins a transaction that holds the store's write lock until it ends.</summary>
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Creates the store if needed and brings its schema up to date.</summary>
    protected abstract Task CreateAndMigrateAsync(CancellationToken cancellationToken);

    /// <summary>Another session holds a lock: worth trying again after a pause.</summary>
    protected abstract bool IsTransient(Exception exception);

    /// <summary>Turns a driver error into the module's error, or null to let it through.</summary>
    protected abstract Exception? Translate(Exception exception);

    protected DateTimeOffset Now => Clock.GetCurrentInstant().ToDateTimeOffset();

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_initialized)
        {
            return;
        }
        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                await CreateAndMigrateAsync(cancellationToken).ConfigureAwait(false);
                _initialized = true;
            }
        }
        finally
        {
            _initGate.Release();
        }
    }

    public virtual ValueTask DisposeAsync()
    {
        _initGate.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs an operation, retrying it while the store is busy (within the budget) and translating driver errors.</summary>
    protected async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StartedKey, Stopwatch.GetTimestamp());
        try
        {
            return await _retry.ExecuteAsync(
                static async (ctx, op) => await op(ctx.CancellationToken).ConfigureAwait(false),
                context, operation).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw Errors.ErrorCatalogue.StoreBusy(DisplayLocation, Stopwatch.GetElapsedTime(context.Properties.GetValue(StartedKey, 0L)), e);
        }
        catch (Exception e) when (Translate(e) is { } translated)
        {
            throw translated;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    protected async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await RunAsync(async token =>
        {
            var connection = await OpenConnectionAsync(token).ConfigureAwait(false);
            await using var connectionLifetime = connection.ConfigureAwait(false);
            return await read(connection, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a change in one write transaction: it commits whole or not at all.</summary>
    protected async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await RunAsync(async token =>
        {
            var connection = await OpenConnectionAsync(token).ConfigureAwait(false);
            await using var connectionLifetime = connection.ConfigureAwait(false);
            var transaction = await BeginWriteAsync(connection, token).ConfigureAwait(false);
            await using var transactionLifetime = transaction.ConfigureAwait(false);
            var result = await write(connection, transaction, token).ConfigureAwait(false);
            // Commit must not be abandoned half way by a cancellation: once the work is done it lands.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static CommandDefinition Command(string sql, object? parameters, DbTransaction? transaction, CancellationToken token) =>
        new(sql, parameters, transaction, cancellationToken: token);

    // ---------------------------------------------------------------- helpers

    /// <summary>
    /// Dapper parameters from a row's column names and values: a row is encoded once, as values in
    /// column order, for the batched import path and for single-row statements alike.
    /// </summary>
    private static DynamicParameters Bind(string[] columns, object?[] values)
    {
        var parameters = new DynamicParameters();
        for (var i = 0; i < columns.Length; i++)
        {
            parameters.Add(columns[i], values[i]);
        }
        return parameters;
    }

    private static string EnvironmentKey(string environment) => environment.Trim().ToLowerInvariant();

    /// <summary>
    /// "(@p0, @p1, ...)" with a parameter per value. Written out rather than left to Dapper,
    /// which passes a list to Npgsql as one array parameter that IN cannot take.
    /// </summary>
    private static string InList(DynamicParameters parameters, string prefix, IEnumerable<string> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = $"{prefix}{names.Count}";
            parameters.Add(name, value);
            names.Add("@" + name);
        }
        return names.Count == 0 ? "(NULL)" : $"({string.Join(", ", names)})";
    }

    /// <summary>Adds "column matches any of these names or patterns" to a WHERE clause.</summary>
    private static void AppendNameFilter(StringBuilder sql, DynamicParameters parameters, string column, IReadOnlyList<string>? names, bool allowWildcards)
    {
        if (NameFilter(parameters, column, names, allowWildcards) is { } filter)
        {
            sql.Append(" AND ").Append(filter);
        }
    }

    /// <summary>"(column matches any of these names or patterns)", or null when no names are given.</summary>
    private static string? NameFilter(DynamicParameters parameters, string column, IReadOnlyList<string>? names, bool allowWildcards = true)
    {
        if (names is not { Count: > 0 })
        {
            return null;
        }
        var exact = new List<string>();
        var clauses = new List<string>();
        foreach (var name in names.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (allowWildcards && NamePattern.HasWildcards(name))
            {
                var parameter = $"pattern{clauses.Count}";
                clauses.Add($"{column} LIKE @{parameter} ESCAPE '\\'");
                parameters.Add(parameter, NamePattern.ToLike(name));
            }
            else
            {
                exact.Add(NamePattern.Key(name));
            }
        }
        if (exact.Count > 0)
        {
            clauses.Add($"{column} IN {InList(parameters, "name", exact)}");
        }
        return clauses.Count == 0 ? "1 = 0" : $"({string.Join(" OR ", clauses)})";
    }
}
