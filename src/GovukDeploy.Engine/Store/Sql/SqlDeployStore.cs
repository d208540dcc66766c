using System.Data.Common;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
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
internal abstract class SqlDeployStore : IDeployStore
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
            await using var connection = await OpenConnectionAsync(token).ConfigureAwait(false);
            return await read(connection, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a change in one write transaction: it commits whole or not at all.</summary>
    protected async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await RunAsync(async token =>
        {
            await using var connection = await OpenConnectionAsync(token).ConfigureAwait(false);
            await using var transaction = await BeginWriteAsync(connection, token).ConfigureAwait(false);
            var result = await write(connection, transaction, token).ConfigureAwait(false);
            // Commit must not be abandoned half way by a cancellation: once the work is done it lands.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static CommandDefinition Command(string sql, object? parameters, DbTransaction? transaction, CancellationToken token) =>
        new(sql, parameters, transaction, cancellationToken: token);

    // ---------------------------------------------------------------- applications

    public Task<IReadOnlyList<Application>> GetApplicationsAsync(ApplicationQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<Application>>(async (connection, token) =>
        {
            var sql = new StringBuilder($"SELECT {ApplicationRow.Columns} FROM applications WHERE 1 = 1");
            var parameters = new DynamicParameters();
            if (!query.IncludeRetired)
            {
                sql.Append(" AND retired = 0");
            }
            if (!string.IsNullOrWhiteSpace(query.Team))
            {
                sql.Append(" AND lower(team) = @team");
                parameters.Add("team", query.Team.Trim().ToLowerInvariant());
            }
            AppendNameFilter(sql, parameters, "name_key", query.Names, allowWildcards: true);
            sql.Append(" ORDER BY name_key");
            var rows = await connection.QueryAsync<ApplicationRow>(Command(sql.ToString(), parameters, null, token)).ConfigureAwait(false);
            return rows.Select(r => r.ToApplication()).ToList();
        }, cancellationToken);

    public Task<Application?> GetApplicationAsync(string name, CancellationToken cancellationToken = default) =>
        ReadAsync(async (connection, token) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<ApplicationRow>(Command(
                $"SELECT {ApplicationRow.Columns} FROM applications WHERE name_key = @key", new { key = NamePattern.Key(name) }, null, token)).ConfigureAwait(false);
            return row?.ToApplication();
        }, cancellationToken);

    public Task<UpsertResult> UpsertApplicationsAsync(IReadOnlyList<Application> applications, string actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, token) =>
        {
            // A big batch reads the whole catalogue once; a small one reads only its own rows.
            var sql = $"SELECT {ApplicationRow.Columns} FROM applications";
            var parameters = new DynamicParameters();
            if (applications.Count <= 64)
            {
                sql += " WHERE name_key IN " + InList(parameters, "key", Enumerable.Range(0, applications.Count).Select(i => NamePattern.Key(applications[i].Name)).Distinct());
            }
            var existing = (await connection.QueryAsync<ApplicationRow>(Command(sql, parameters, transaction, token)).ConfigureAwait(false))
                .ToDictionary(r => r.NameKey, r => r.ToApplication(), StringComparer.Ordinal);
            var now = UnixMs.From(Now);
            int added = 0, changed = 0, unchanged = 0;
            // Rows go in chunks, each written with one prepared statement per table: a large
            // import costs little more than its rows, and still all in this one transaction.
            const int chunkSize = 100;
            var inserts = new List<object?[]>(chunkSize);
            var updates = new List<object?[]>(chunkSize);
            var events = new List<object?[]>(chunkSize);
            for (var i = 0; i < applications.Count; i++)
            {
                token.ThrowIfCancellationRequested();
                var application = applications[i];
                var key = NamePattern.Key(application.Name);
                if (!existing.TryGetValue(key, out var before))
                {
                    inserts.Add(ApplicationValues(application, now));
                    events.Add(AuditValues(now, actor, AuditKinds.ApplicationAdded, application.Name, null, $"Added {ApplicationDiff.Summary(application)}"));
                    added++;
                }
                else if (ApplicationDiff.Describe(before, application) is { } difference)
                {
                    updates.Add(ApplicationValues(application, now));
                    events.Add(AuditValues(now, actor, AuditKinds.ApplicationChanged, application.Name, null, difference));
                    changed++;
                }
                else
                {
                    unchanged++;
                }
                existing[key] = application;
                if (events.Count >= chunkSize || i == applications.Count - 1)
                {
                    await WriteApplicationChunkAsync(connection, transaction, inserts, updates, events, token).ConfigureAwait(false);
                }
            }
            return new UpsertResult(added, changed, unchanged);
        }, cancellationToken);

    public Task AddApplicationAsync(Application application, string actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, token) =>
        {
            var taken = await connection.ExecuteScalarAsync<long>(Command(
                "SELECT count(*) FROM applications WHERE name_key = @key", new { key = NamePattern.Key(application.Name) }, transaction, token)).ConfigureAwait(false);
            if (taken > 0)
            {
                throw Errors.ErrorCatalogue.ApplicationExists(application.Name);
            }
            await InsertApplicationAsync(connection, transaction, application, UnixMs.From(Now), actor, token).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task<bool> UpdateApplicationAsync(Application application, string actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, token) =>
        {
            var before = await connection.QuerySingleOrDefaultAsync<ApplicationRow>(Command(
                $"SELECT {ApplicationRow.Columns} FROM applications WHERE name_key = @key", new { key = NamePattern.Key(application.Name) }, transaction, token)).ConfigureAwait(false)
                ?? throw Errors.ErrorCatalogue.ApplicationNotFound(application.Name);
            if (ApplicationDiff.Describe(before.ToApplication(), application) is not { } difference)
            {
                return false;
            }
            await UpdateApplicationRowAsync(connection, transaction, application, UnixMs.From(Now), actor, difference, token).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task<Application> RemoveApplicationAsync(string name, string actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, token) =>
        {
            var key = NamePattern.Key(name);
            var row = await connection.QuerySingleOrDefaultAsync<ApplicationRow>(Command(
                $"SELECT {ApplicationRow.Columns} FROM applications WHERE name_key = @key", new { key }, transaction, token)).ConfigureAwait(false)
                ?? throw Errors.ErrorCatalogue.ApplicationNotFound(name);
            await connection.ExecuteAsync(Command("DELETE FROM applications WHERE name_key = @key", new { key }, transaction, token)).ConfigureAwait(false);
            var removed = row.ToApplication();
            await InsertAuditAsync(connection, transaction, UnixMs.From(Now), actor, AuditKinds.ApplicationRemoved, removed.Name, null,
                $"Removed {ApplicationDiff.Summary(removed)}", token).ConfigureAwait(false);
            return removed;
        }, cancellationToken);

    private static async Task WriteApplicationChunkAsync(DbConnection connection, DbTransaction transaction, List<object?[]> inserts, List<object?[]> updates, List<object?[]> events, CancellationToken token)
    {
        await ExecuteRowsAsync(connection, transaction, InsertApplicationSql, ApplicationColumns, inserts, token).ConfigureAwait(false);
        await ExecuteRowsAsync(connection, transaction, UpdateApplicationSql, ApplicationColumns, updates, token).ConfigureAwait(false);
        await ExecuteRowsAsync(connection, transaction, InsertAuditSql, AuditColumns, events, token).ConfigureAwait(false);
        inserts.Clear();
        updates.Clear();
        events.Clear();
    }

    /// <summary>
    /// Runs one statement per row on a single command whose parameters are re-bound each time,
    /// so the statement is parsed once. The hot path of a large import: about twice as fast as
    /// building parameters afresh for every row.
    /// </summary>
    private static async Task ExecuteRowsAsync(DbConnection connection, DbTransaction transaction, string sql, string[] columns, List<object?[]> rows, CancellationToken token)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var parameters = new DbParameter[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = columns[i];
            command.Parameters.Add(parameters[i]);
        }
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Length; i++)
            {
                parameters[i].Value = row[i] ?? DBNull.Value;
            }
            await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
        }
    }

    private static readonly string[] ApplicationColumns = ["key", "name", "repository", "deployName", "team", "type", "retired", "pattern", "now"];

    private static object?[] ApplicationValues(Application application, long now) =>
    [
        NamePattern.Key(application.Name), application.Name.Trim(), application.Repository, application.DeployName,
        application.Team, application.Type, application.Retired ? 1L : 0L, application.ReleaseTagPattern, now,
    ];

    private static readonly string[] AuditColumns = ["at", "actor", "kind", "application", "key", "environment", "detail"];

    private static object?[] AuditValues(long at, string actor, string kind, string? application, string? environment, string detail) =>
        [at, actor, kind, application, application is null ? null : NamePattern.Key(application), environment, detail];

    private const string InsertApplicationSql = """
        INSERT INTO applications (name_key, name, repository, deploy_name, team, type, retired, release_tag_pattern, created_at, updated_at)
        VALUES (@key, @name, @repository, @deployName, @team, @type, @retired, @pattern, @now, @now)
        """;

    private const string UpdateApplicationSql = """
        UPDATE applications SET name = @name, repository = @repository, deploy_name = @deployName, team = @team, type = @type,
            retired = @retired, release_tag_pattern = @pattern, updated_at = @now
        WHERE name_key = @key
        """;

    private const string InsertAuditSql = """
        INSERT INTO audit_events (at, actor, kind, application, app_key, environment, detail)
        VALUES (@at, @actor, @kind, @application, @key, @environment, @detail)
        """;

    private static object AuditParameters(long at, string actor, string kind, string? application, string? environment, string detail) =>
        new { at, actor, kind, application, key = application is null ? null : NamePattern.Key(application), environment, detail };

    private static async Task InsertApplicationAsync(DbConnection connection, DbTransaction transaction, Application application, long now, string actor, CancellationToken token)
    {
        await connection.ExecuteAsync(Command(InsertApplicationSql, ApplicationParameters(application, now), transaction, token)).ConfigureAwait(false);
        await InsertAuditAsync(connection, transaction, now, actor, AuditKinds.ApplicationAdded, application.Name, null,
            $"Added {ApplicationDiff.Summary(application)}", token).ConfigureAwait(false);
    }

    private static async Task UpdateApplicationRowAsync(DbConnection connection, DbTransaction transaction, Application application, long now, string actor, string difference, CancellationToken token)
    {
        await connection.ExecuteAsync(Command(UpdateApplicationSql, ApplicationParameters(application, now), transaction, token)).ConfigureAwait(false);
        await InsertAuditAsync(connection, transaction, now, actor, AuditKinds.ApplicationChanged, application.Name, null, difference, token).ConfigureAwait(false);
    }

    private static object ApplicationParameters(Application application, long now) => new
    {
        key = NamePattern.Key(application.Name),
        name = application.Name.Trim(),
        repository = application.Repository,
        deployName = application.DeployName,
        team = application.Team,
        type = application.Type,
        retired = application.Retired ? 1L : 0L,
        pattern = application.ReleaseTagPattern,
        now,
    };

    // ---------------------------------------------------------------- confidential mode

    public Task<ConfidentialChange> SetConfidentialAsync(ConfidentialRequest request, string actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, token) =>
        {
            var key = NamePattern.Key(request.Application);
            var row = await connection.QuerySingleOrDefaultAsync<ApplicationRow>(Command(
                $"SELECT {ApplicationRow.Columns} FROM applications WHERE name_key = @key", new { key }, transaction, token)).ConfigureAwait(false)
                ?? throw Errors.ErrorCatalogue.ApplicationNotFound(request.Application);
            var before = row.ToApplication();
            if (before.Confidential == request.On)
            {
                return new ConfidentialChange { Application = before, Changed = false };
            }

            var now = UnixMs.From(Now);
            var reason = string.IsNullOrWhiteSpace(request.Reason) ? "no reason given" : request.Reason.Trim();
            if (request.On)
            {
                await connection.ExecuteAsync(Command(
                    "UPDATE applications SET confidential = 1, confidential_since = @now, confidential_by = @actor, visibility_when_confidential = @visibility, updated_at = @now WHERE name_key = @key",
                    new { now, actor, visibility = request.Visibility.ToString(), key }, transaction, token)).ConfigureAwait(false);
                await InsertAuditAsync(connection, transaction, now, actor, AuditKinds.ConfidentialModeOn, before.Name, null,
                    $"Confidential mode on: {reason} (repository {before.Repository} was {request.Visibility.ToString().ToLowerInvariant()})", token).ConfigureAwait(false);
                row.Confidential = 1;
                row.ConfidentialSince = now;
                row.ConfidentialBy = actor;
                row.VisibilityWhenConfidential = request.Visibility.ToString();
                return new ConfidentialChange { Application = row.ToApplication(), Changed = true };
            }

            var since = row.ConfidentialSince ?? now;
            var deployments = (await connection.QueryAsync<DeploymentRow>(Command(
                $"SELECT {DeploymentRow.Columns} FROM deployments WHERE app_key = @key AND started_at >= @since ORDER BY started_at, id",
                new { key, since }, transaction, token)).ConfigureAwait(false)).Select(r => r.ToDeployment()).ToList();
            await connection.ExecuteAsync(Command(
                "UPDATE applications SET confidential = 0, confidential_since = NULL, confidential_by = NULL, visibility_when_confidential = NULL, updated_at = @now WHERE name_key = @key",
                new { now, key }, transaction, token)).ConfigureAwait(false);
            // Release tags (or SHAs) and environments only: the deploys' own records say the rest.
            var list = deployments.Count == 0 ? "no deploys" : $"{deployments.Count} deploy(s): " + string.Join(", ", deployments.Select(d => $"#{d.Id} {d.Release} to {d.Environment}"));
            await InsertAuditAsync(connection, transaction, now, actor, AuditKinds.ConfidentialModeOff, before.Name, null,
                $"Confidential mode off: {reason} (on since {UnixMs.ToTime(since).UtcDateTime:yyyy-MM-dd HH:mm} UTC, by {before.ConfidentialSetBy}; {list})", token).ConfigureAwait(false);
            row.Confidential = 0;
            return new ConfidentialChange
            {
                Application = row.ToApplication(),
                Changed = true,
                WasOnSince = before.ConfidentialSince,
                WasOnBy = before.ConfidentialSetBy,
                VisibilityWhenOn = before.VisibilityWhenConfidential,
                DeployedWhileConfidential = deployments,
            };
        }, cancellationToken);

    // ---------------------------------------------------------------- freezes

    public Task<IReadOnlyList<DeployFreeze>> SetFreezesAsync(IReadOnlyList<FreezeRequest> requests, string actor, CancellationToken cancellationToken = default) =>
        WriteAsync<IReadOnlyList<DeployFreeze>>(async (connection, transaction, token) =>
        {
            var now = UnixMs.From(Now);
            var set = new List<DeployFreeze>(requests.Count);
            foreach (var request in requests)
            {
                token.ThrowIfCancellationRequested();
                var application = request.Application.Trim() == DeployFreeze.Global ? DeployFreeze.Global : request.Application.Trim();
                var key = NamePattern.Key(application);
                var environment = EnvironmentKey(request.Environment);
                // The freeze in force (if any) becomes history: lifted by whoever replaced it.
                var previous = await connection.QuerySingleOrDefaultAsync<long?>(Command(
                    "SELECT id FROM freezes WHERE app_key = @key AND environment = @environment AND lifted_at IS NULL",
                    new { key, environment }, transaction, token)).ConfigureAwait(false);
                if (previous is { } previousId)
                {
                    await connection.ExecuteAsync(Command(
                        "UPDATE freezes SET lifted_at = @now, lifted_by = @actor WHERE id = @previousId",
                        new { now, actor, previousId }, transaction, token)).ConfigureAwait(false);
                }
                var id = await connection.ExecuteScalarAsync<long>(Command(
                    """
                    INSERT INTO freezes (application, app_key, environment, reason, contact, until_at, set_by, set_at)
                    VALUES (@application, @key, @environment, @reason, @contact, @until, @actor, @now)
                    RETURNING id
                    """,
                    new { application, key, environment, reason = request.Reason, contact = request.Contact, until = UnixMs.From(request.Until), actor, now },
                    transaction, token)).ConfigureAwait(false);
                if (previous is { } replacedId)
                {
                    await connection.ExecuteAsync(Command("UPDATE freezes SET replaced_by = @id WHERE id = @replacedId", new { id, replacedId }, transaction, token)).ConfigureAwait(false);
                }
                var freeze = new DeployFreeze
                {
                    Id = id,
                    Application = application,
                    Environment = environment,
                    Reason = request.Reason,
                    Contact = request.Contact,
                    Until = request.Until is { } until ? UnixMs.ToTime(UnixMs.From(until)) : null,
                    SetBy = actor,
                    SetAt = UnixMs.ToTime(now),
                };
                var detail = $"Froze {(freeze.IsGlobal ? "every application" : application)} in {environment}: {request.Reason} (contact {request.Contact}"
                    + (freeze.Until is { } u ? $", until {u.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "")
                    + ")" + (previous is { } p ? $"; replaces freeze #{p}" : "");
                await InsertAuditAsync(connection, transaction, now, actor, AuditKinds.FreezeSet, application, environment, detail, token).ConfigureAwait(false);
                set.Add(freeze);
            }
            return set;
        }, cancellationToken);

    public Task<IReadOnlyList<DeployFreeze>> LiftFreezesAsync(IReadOnlyList<FreezeTarget> targets, string actor, CancellationToken cancellationToken = default) =>
        WriteAsync<IReadOnlyList<DeployFreeze>>(async (connection, transaction, token) =>
        {
            var now = UnixMs.From(Now);
            var lifted = new List<DeployFreeze>();
            foreach (var target in targets)
            {
                token.ThrowIfCancellationRequested();
                var sql = $"SELECT {FreezeRow.Columns} FROM freezes WHERE app_key = @key AND lifted_at IS NULL"
                    + (target.Environment is null ? "" : " AND environment = @environment") + " ORDER BY id";
                var rows = await connection.QueryAsync<FreezeRow>(Command(sql,
                    new { key = NamePattern.Key(target.Application), environment = target.Environment is null ? null : EnvironmentKey(target.Environment) },
                    transaction, token)).ConfigureAwait(false);
                foreach (var row in rows)
                {
                    await connection.ExecuteAsync(Command("UPDATE freezes SET lifted_at = @now, lifted_by = @actor WHERE id = @id",
                        new { now, actor, id = row.Id }, transaction, token)).ConfigureAwait(false);
                    row.LiftedAt = now;
                    row.LiftedBy = actor;
                    await InsertAuditAsync(connection, transaction, now, actor, AuditKinds.FreezeLifted, row.Application, row.Environment,
                        $"Lifted freeze #{row.Id} of {(row.Application == DeployFreeze.Global ? "every application" : row.Application)} in {row.Environment} ({row.Reason})", token).ConfigureAwait(false);
                    lifted.Add(row.ToFreeze());
                }
            }
            return lifted;
        }, cancellationToken);

    public Task<IReadOnlyList<DeployFreeze>> GetFreezesAsync(FreezeQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<DeployFreeze>>(async (connection, token) =>
        {
            var sql = new StringBuilder($"SELECT {FreezeRow.Columns} FROM freezes WHERE 1 = 1");
            var parameters = new DynamicParameters();
            if (!query.IncludeLifted)
            {
                sql.Append(" AND lifted_at IS NULL AND (until_at IS NULL OR until_at > @at)");
                parameters.Add("at", UnixMs.From(query.At ?? Now));
            }
            if (query.Environment is { } environment)
            {
                sql.Append(" AND environment = @environment");
                parameters.Add("environment", EnvironmentKey(environment));
            }
            if (NameFilter(parameters, "app_key", query.Applications) is { } names)
            {
                sql.Append(query.IncludeGlobal ? $" AND ({names} OR app_key = @global)" : $" AND {names}");
                parameters.Add("global", DeployFreeze.Global);
            }
            sql.Append(" ORDER BY set_at, id");
            var rows = await connection.QueryAsync<FreezeRow>(Command(sql.ToString(), parameters, null, token)).ConfigureAwait(false);
            return rows.Select(r => r.ToFreeze()).ToList();
        }, cancellationToken);

    // ---------------------------------------------------------------- deployments

    public Task<long> StartDeploymentAsync(DeploymentStart start, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, token) =>
        {
            var now = UnixMs.From(Now);
            var environment = EnvironmentKey(start.Environment);
            if (start.BuildUrl is not null)
            {
                // A sync may have seen the build before this record was written: ours replaces what was observed, so it is listed once.
                await connection.ExecuteAsync(Command("DELETE FROM deployments WHERE build_url = @buildUrl AND source <> @ours",
                    new { buildUrl = start.BuildUrl, ours = nameof(DeploymentSource.GovukDeploy) }, transaction, token)).ConfigureAwait(false);
            }

            var id = await connection.ExecuteScalarAsync<long>(Command(
                """
                INSERT INTO deployments (application, app_key, environment, release_tag, sha, status, build_url, started_at, deployed_by, is_branch, gates, deploy_task,
                    queue_url, is_rollback, rolls_back, confidential)
                VALUES (@application, @key, @environment, @release, @sha, @status, @buildUrl, @now, @deployedBy, @isBranch, @gates, @deployTask,
                    @queueUrl, @isRollback, @rollsBack, @confidential)
                RETURNING id
                """,
                new
                {
                    application = start.Application,
                    key = NamePattern.Key(start.Application),
                    environment,
                    release = start.Release,
                    sha = start.Sha,
                    status = nameof(DeploymentStatus.InProgress),
                    buildUrl = start.BuildUrl,
                    now,
                    deployedBy = start.DeployedBy,
                    isBranch = start.IsBranchDeploy ? 1L : 0L,
                    gates = JsonSerializer.Serialize(start.Gates, GateJson.Options),
                    deployTask = string.IsNullOrWhiteSpace(start.DeployTask) ? DeployTasks.Deploy : start.DeployTask.Trim(),
                    queueUrl = start.QueueUrl,
                    isRollback = start.IsRollback ? 1L : 0L,
                    rollsBack = start.RollsBack,
                    confidential = start.Confidential ? 1L : 0L,
                }, transaction, token)).ConfigureAwait(false);
            await InsertAuditAsync(connection, transaction, now, start.DeployedBy, AuditKinds.DeployStarted, start.Application, environment,
                $"Deploy #{id} of {(start.IsBranchDeploy ? "branch " : "")}{start.Release}{(start.Sha is null || start.Sha == start.Release ? "" : $" ({start.Sha})")} to {environment} started"
                + (start.BuildUrl is null && start.QueueUrl is not null ? $" (queued in Jenkins: {start.QueueUrl})" : "")
                + (start.Confidential ? " (confidential)" : ""), token).ConfigureAwait(false);
            if (start.IsRollback)
            {
                await InsertAuditAsync(connection, transaction, now, start.DeployedBy, AuditKinds.RollbackStarted, start.Application, environment,
                    $"Rollback #{id} of {start.Application} in {environment} to {start.Release}" + (start.RollsBack is null ? "" : $", undoing {start.RollsBack}")
                    + (string.IsNullOrWhiteSpace(start.RollbackDetail) ? "" : $": {start.RollbackDetail}"), token).ConfigureAwait(false);
            }
            foreach (var gate in start.Gates.Where(g => g.Outcome == GateOutcome.Overridden))
            {
                await InsertAuditAsync(connection, transaction, now, start.DeployedBy, AuditKinds.GateOverridden, start.Application, environment,
                    $"Gate {gate.Gate} overridden for deploy #{id} of {start.Release}: {gate.Detail}" + (string.IsNullOrWhiteSpace(start.OverrideReason) ? "" : $". Reason: {start.OverrideReason}"),
                    token).ConfigureAwait(false);
            }
            return id;
        }, cancellationToken);

    public Task<Deployment> FinishDeploymentAsync(long id, DeploymentFinish finish, string actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, token) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<DeploymentRow>(Command(
                $"SELECT {DeploymentRow.Columns} FROM deployments WHERE id = @id", new { id }, transaction, token)).ConfigureAwait(false)
                ?? throw Errors.ErrorCatalogue.DeploymentNotFound(id);
            var finishedAt = UnixMs.From(finish.FinishedAt ?? Now);
            row.Status = finish.Status.ToString();
            row.FinishedAt = finishedAt;
            row.SmokeTest = finish.SmokeTest ?? row.SmokeTest;
            row.BuildUrl = finish.BuildUrl ?? row.BuildUrl;
            await connection.ExecuteAsync(Command(
                "UPDATE deployments SET status = @status, finished_at = @finishedAt, smoke_test = @smokeTest, build_url = @buildUrl WHERE id = @id",
                new { status = row.Status, finishedAt, smokeTest = row.SmokeTest, buildUrl = row.BuildUrl, id }, transaction, token)).ConfigureAwait(false);
            var deployment = row.ToDeployment();
            await InsertAuditAsync(connection, transaction, UnixMs.From(Now), actor, AuditKinds.DeployFinished, row.Application, row.Environment,
                $"Deploy #{id} of {row.Release} to {row.Environment} finished: {row.Status}"
                + (deployment.Duration is { } d ? $" after {d:hh\\:mm\\:ss}" : "")
                + (row.SmokeTest is null ? "" : $"; smoke test {row.SmokeTest}")
                + (string.IsNullOrWhiteSpace(finish.Note) ? "" : $"; {finish.Note}"), token).ConfigureAwait(false);
            return deployment;
        }, cancellationToken);

    public Task<Deployment> AttachDeploymentBuildAsync(long id, string buildUrl, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, token) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<DeploymentRow>(Command(
                $"SELECT {DeploymentRow.Columns} FROM deployments WHERE id = @id", new { id }, transaction, token)).ConfigureAwait(false)
                ?? throw Errors.ErrorCatalogue.DeploymentNotFound(id);
            // A sync may have seen the build before its deploy was told of it: that observed copy gives way to this record.
            await connection.ExecuteAsync(Command(
                "DELETE FROM deployments WHERE build_url = @buildUrl AND id <> @id AND source <> @ours",
                new { buildUrl, id, ours = nameof(DeploymentSource.GovukDeploy) }, transaction, token)).ConfigureAwait(false);
            await connection.ExecuteAsync(Command(
                "UPDATE deployments SET build_url = @buildUrl WHERE id = @id", new { buildUrl, id }, transaction, token)).ConfigureAwait(false);
            row.BuildUrl = buildUrl;
            return row.ToDeployment();
        }, cancellationToken);

    public Task<IReadOnlyList<Deployment>> GetDeploymentsAsync(DeploymentQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<Deployment>>(async (connection, token) =>
        {
            var sql = new StringBuilder($"SELECT {DeploymentRow.Columns} FROM deployments WHERE 1 = 1");
            var parameters = new DynamicParameters();
            AppendNameFilter(sql, parameters, "app_key", query.Applications, allowWildcards: true);
            if (query.Environment is { } environment)
            {
                sql.Append(" AND environment = @environment");
                parameters.Add("environment", EnvironmentKey(environment));
            }
            if (query.InProgressOnly)
            {
                sql.Append(" AND status = @inProgress");
                parameters.Add("inProgress", nameof(DeploymentStatus.InProgress));
            }
            if (query.BranchDeploysOnly)
            {
                sql.Append(" AND is_branch = 1");
            }
            if (query.StartedSince is { } startedSince)
            {
                sql.Append(" AND started_at >= @startedSince");
                parameters.Add("startedSince", UnixMs.From(startedSince));
            }
            sql.Append(" ORDER BY started_at DESC, id DESC");
            if (query.Last is { } last)
            {
                sql.Append(" LIMIT @last");
                parameters.Add("last", Math.Max(0, last));
            }
            var rows = await connection.QueryAsync<DeploymentRow>(Command(sql.ToString(), parameters, null, token)).ConfigureAwait(false);
            return rows.Select(r => r.ToDeployment()).ToList();
        }, cancellationToken);

    public Task<Deployment?> GetDeploymentAsync(long id, CancellationToken cancellationToken = default) =>
        ReadAsync(async (connection, token) =>
            (await connection.QuerySingleOrDefaultAsync<DeploymentRow>(Command(
                $"SELECT {DeploymentRow.Columns} FROM deployments WHERE id = @id", new { id }, null, token)).ConfigureAwait(false))?.ToDeployment(),
            cancellationToken);

    public Task<Deployment?> GetLatestSuccessfulDeploymentAsync(string application, string environment, CancellationToken cancellationToken = default) =>
        ReadAsync(async (connection, token) =>
            (await connection.QueryFirstOrDefaultAsync<DeploymentRow>(Command(
                $"""
                SELECT {DeploymentRow.Columns} FROM deployments
                WHERE app_key = @key AND environment = @environment AND status = @succeeded AND deploy_task = @deploy
                ORDER BY finished_at DESC, id DESC LIMIT 1
                """,
                new { key = NamePattern.Key(application), environment = EnvironmentKey(environment), succeeded = nameof(DeploymentStatus.Succeeded), deploy = DeployTasks.Deploy },
                null, token)).ConfigureAwait(false))?.ToDeployment(),
            cancellationToken);

    public Task<IReadOnlyList<Deployment>> GetLatestSuccessfulDeploymentsAsync(IReadOnlyList<string>? applications, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<Deployment>>(async (connection, token) =>
        {
            var parameters = new DynamicParameters();
            parameters.Add("succeeded", nameof(DeploymentStatus.Succeeded));
            parameters.Add("deploy", DeployTasks.Deploy);
            var filter = applications is { Count: > 0 } ? " AND " + NameFilter(parameters, "app_key", applications, allowWildcards: false) : "";
            var rows = await connection.QueryAsync<DeploymentRow>(Command(
                $"""
                SELECT {DeploymentRow.Columns} FROM (
                    SELECT d.*, ROW_NUMBER() OVER (PARTITION BY app_key, environment ORDER BY finished_at DESC, id DESC) AS newest
                    FROM deployments d
                    WHERE status = @succeeded AND deploy_task = @deploy{filter}
                ) ranked WHERE newest = 1
                """, parameters, null, token)).ConfigureAwait(false);
            return rows.Select(r => r.ToDeployment()).ToList();
        }, cancellationToken);

    public Task<IReadOnlyList<TimeSpan>> GetRecentDeployDurationsAsync(string application, string environment, int count, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<TimeSpan>>(async (connection, token) =>
        {
            var durations = await connection.QueryAsync<long>(Command(
                """
                SELECT finished_at - started_at FROM deployments
                WHERE app_key = @key AND environment = @environment AND status = @succeeded AND finished_at IS NOT NULL AND deploy_task = @deploy
                ORDER BY finished_at DESC, id DESC LIMIT @count
                """,
                new { key = NamePattern.Key(application), environment = EnvironmentKey(environment), succeeded = nameof(DeploymentStatus.Succeeded), count = Math.Max(0, count), deploy = DeployTasks.Deploy },
                null, token)).ConfigureAwait(false);
            return durations.Select(ms => TimeSpan.FromMilliseconds(ms)).ToList();
        }, cancellationToken);

    // ---------------------------------------------------------------- observed deploys

    public Task<ObservedBatchResult> RecordObservedAsync(ObservedBatch batch, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, token) =>
        {
            var environment = EnvironmentKey(batch.Environment);
            var known = new Dictionary<string, (long Id, string Source)>(StringComparer.Ordinal);
            foreach (var chunk in batch.Deployments.Select(d => d.BuildUrl).Distinct(StringComparer.Ordinal).Chunk(400))
            {
                var parameters = new DynamicParameters();
                var sql = $"SELECT id AS Id, build_url AS BuildUrl, source AS Source FROM deployments WHERE build_url IN {InList(parameters, "url", chunk)}";
                foreach (var row in await connection.QueryAsync<(long Id, string BuildUrl, string Source)>(Command(sql, parameters, transaction, token)).ConfigureAwait(false))
                {
                    known[row.BuildUrl] = (row.Id, row.Source);
                }
            }

            int added = 0, updated = 0, ours = 0;
            foreach (var seen in batch.Deployments)
            {
                if (known.TryGetValue(seen.BuildUrl, out var existing))
                {
                    if (existing.Source == nameof(DeploymentSource.GovukDeploy))
                    {
                        // Ours: recorded with its gates by the deploy itself, and finished by whoever follows it.
                        ours++;
                        continue;
                    }

                    updated += await connection.ExecuteAsync(Command(
                        "UPDATE deployments SET status = @status, finished_at = @finishedAt WHERE id = @id AND (status <> @status OR finished_at IS NULL)",
                        new { status = seen.Status.ToString(), finishedAt = UnixMs.From(seen.FinishedAt), id = existing.Id }, transaction, token)).ConfigureAwait(false);
                    continue;
                }

                await connection.ExecuteAsync(Command(
                    """
                    INSERT INTO deployments (application, app_key, environment, release_tag, sha, status, build_url, started_at, finished_at, deployed_by, is_branch, source, deploy_task, confidential)
                    VALUES (@application, @key, @environment, @release, @sha, @status, @buildUrl, @startedAt, @finishedAt, @deployedBy, @isBranch, @source, @deployTask, @confidential)
                    """,
                    new
                    {
                        application = seen.Application,
                        key = NamePattern.Key(seen.Application),
                        environment,
                        release = seen.Release,
                        sha = seen.Sha,
                        status = seen.Status.ToString(),
                        buildUrl = seen.BuildUrl,
                        startedAt = UnixMs.From(seen.StartedAt),
                        finishedAt = UnixMs.From(seen.FinishedAt),
                        deployedBy = seen.DeployedBy,
                        isBranch = seen.IsBranchDeploy ? 1L : 0L,
                        source = seen.Source.ToString(),
                        deployTask = string.IsNullOrWhiteSpace(seen.DeployTask) ? DeployTasks.Deploy : seen.DeployTask.Trim(),
                        confidential = seen.Confidential ? 1L : 0L,
                    }, transaction, token)).ConfigureAwait(false);
                known[seen.BuildUrl] = (0, seen.Source.ToString());
                added++;
            }

            var now = UnixMs.From(Now);
            var changed = await connection.ExecuteAsync(Command(
                "UPDATE deployment_sync SET environment = @environment, last_number = @last, synced_at = @now WHERE source_key = @key",
                new { key = batch.SourceKey, environment, last = batch.LastNumber, now }, transaction, token)).ConfigureAwait(false);
            if (changed == 0)
            {
                await connection.ExecuteAsync(Command(
                    "INSERT INTO deployment_sync (source_key, environment, last_number, synced_at) VALUES (@key, @environment, @last, @now)",
                    new { key = batch.SourceKey, environment, last = batch.LastNumber, now }, transaction, token)).ConfigureAwait(false);
            }

            foreach (var appKey in batch.SearchedApplications.Select(NamePattern.Key).Distinct(StringComparer.Ordinal))
            {
                await connection.ExecuteAsync(Command(
                    "DELETE FROM deployment_sync_searched WHERE source_key = @key AND app_key = @appKey",
                    new { key = batch.SourceKey, appKey }, transaction, token)).ConfigureAwait(false);
                await connection.ExecuteAsync(Command(
                    "INSERT INTO deployment_sync_searched (source_key, app_key, searched_at) VALUES (@key, @appKey, @now)",
                    new { key = batch.SourceKey, appKey, now }, transaction, token)).ConfigureAwait(false);
            }

            return new ObservedBatchResult(added, updated, ours);
        }, cancellationToken);

    public Task<IReadOnlyList<SyncState>> GetSyncStatesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<SyncState>>(async (connection, token) =>
        {
            var searched = (await connection.QueryAsync<(string SourceKey, string AppKey)>(Command(
                    "SELECT source_key AS SourceKey, app_key AS AppKey FROM deployment_sync_searched", null, null, token)).ConfigureAwait(false))
                .ToLookup(r => r.SourceKey, r => r.AppKey, StringComparer.Ordinal);
            var rows = await connection.QueryAsync<(string SourceKey, string Environment, long LastNumber, long SyncedAt)>(Command(
                "SELECT source_key AS SourceKey, environment AS Environment, last_number AS LastNumber, synced_at AS SyncedAt FROM deployment_sync ORDER BY source_key",
                null, null, token)).ConfigureAwait(false);
            return rows.Select(r => new SyncState
            {
                SourceKey = r.SourceKey,
                Environment = r.Environment,
                LastNumber = r.LastNumber,
                SyncedAt = UnixMs.ToTime(r.SyncedAt),
                SearchedApplications = searched[r.SourceKey].ToHashSet(StringComparer.Ordinal),
            }).ToList();
        }, cancellationToken);

    // ---------------------------------------------------------------- audit

    public Task<AuditEvent> AppendAuditEventAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, token) =>
        {
            var now = UnixMs.From(Now);
            var environment = entry.Environment is null ? null : EnvironmentKey(entry.Environment);
            var id = await InsertAuditAsync(connection, transaction, now, entry.Actor, entry.Kind, entry.Application, environment, entry.Detail, token).ConfigureAwait(false);
            return new AuditEvent
            {
                Id = id,
                At = UnixMs.ToTime(now),
                Actor = entry.Actor,
                Kind = entry.Kind,
                Application = entry.Application,
                Environment = environment,
                Detail = entry.Detail,
            };
        }, cancellationToken);

    public Task<IReadOnlyList<AuditEvent>> GetAuditEventsAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<AuditEvent>>(async (connection, token) =>
        {
            var sql = new StringBuilder($"SELECT {AuditRow.Columns} FROM audit_events WHERE 1 = 1");
            var parameters = new DynamicParameters();
            AppendNameFilter(sql, parameters, "app_key", query.Applications, allowWildcards: true);
            if (query.Since is { } since)
            {
                sql.Append(" AND at >= @since");
                parameters.Add("since", UnixMs.From(since));
            }
            if (query.Kinds is { Count: > 0 } kinds)
            {
                sql.Append(" AND lower(kind) IN ").Append(InList(parameters, "kind", kinds.Select(k => k.Trim().ToLowerInvariant()).Distinct()));
            }
            if (query.Last is { } last)
            {
                // The newest N, still returned oldest first.
                sql.Insert(0, "SELECT * FROM (").Append(" ORDER BY id DESC LIMIT @last) AS newest");
                parameters.Add("last", Math.Max(0, last));
            }
            sql.Append(" ORDER BY Id");
            var rows = await connection.QueryAsync<AuditRow>(Command(sql.ToString(), parameters, null, token)).ConfigureAwait(false);
            return rows.Select(r => r.ToEvent()).ToList();
        }, cancellationToken);

    private static Task<long> InsertAuditAsync(DbConnection connection, DbTransaction transaction, long at, string actor, string kind, string? application, string? environment, string detail, CancellationToken token) =>
        connection.ExecuteScalarAsync<long>(Command(InsertAuditSql + " RETURNING id", AuditParameters(at, actor, kind, application, environment, detail), transaction, token));

    // ---------------------------------------------------------------- deploy locks

    public Task<DeployLockAttempt> TryAcquireLockAsync(string application, string environment, string owner, TimeSpan lease, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, token) =>
        {
            var key = NamePattern.Key(application);
            var env = EnvironmentKey(environment);
            var now = Now;
            var nowMs = UnixMs.From(now);
            var holder = await connection.QuerySingleOrDefaultAsync<LockRow>(Command(
                $"SELECT {LockRow.Columns} FROM deploy_locks WHERE app_key = @key AND environment = @env", new { key, env }, transaction, token)).ConfigureAwait(false);
            if (holder is not null && holder.Owner != owner && holder.ExpiresAt > nowMs)
            {
                return new DeployLockAttempt(false, holder.ToLock());
            }
            var expires = UnixMs.From(now + lease);
            if (holder is null)
            {
                await connection.ExecuteAsync(Command(
                    "INSERT INTO deploy_locks (app_key, environment, application, owner, acquired_at, expires_at) VALUES (@key, @env, @application, @owner, @nowMs, @expires)",
                    new { key, env, application, owner, nowMs, expires }, transaction, token)).ConfigureAwait(false);
            }
            else
            {
                var acquiredAt = holder.Owner == owner ? holder.AcquiredAt : nowMs;
                await connection.ExecuteAsync(Command(
                    "UPDATE deploy_locks SET owner = @owner, application = @application, acquired_at = @acquiredAt, expires_at = @expires WHERE app_key = @key AND environment = @env",
                    new { key, env, application, owner, acquiredAt, expires }, transaction, token)).ConfigureAwait(false);
                if (holder.Owner != owner)
                {
                    await InsertAuditAsync(connection, transaction, nowMs, owner, AuditKinds.DeployLockTakenOver, application, env,
                        $"Took over the deploy lock of {holder.Owner}, whose lease ran out at {UnixMs.ToTime(holder.ExpiresAt).UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC", token).ConfigureAwait(false);
                }
                nowMs = acquiredAt;
            }
            return new DeployLockAttempt(true, new DeployLock
            {
                Application = application,
                Environment = env,
                Owner = owner,
                AcquiredAt = UnixMs.ToTime(nowMs),
                ExpiresAt = UnixMs.ToTime(expires),
            });
        }, cancellationToken);

    public Task<bool> RenewLockAsync(string application, string environment, string owner, TimeSpan lease, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, token) =>
        {
            var expires = UnixMs.From(Now + lease);
            // A lapsed lease that nobody took over may still be renewed by its owner.
            var updated = await connection.ExecuteAsync(Command(
                "UPDATE deploy_locks SET expires_at = @expires WHERE app_key = @key AND environment = @env AND owner = @owner",
                new { expires, key = NamePattern.Key(application), env = EnvironmentKey(environment), owner }, transaction, token)).ConfigureAwait(false);
            return updated > 0;
        }, cancellationToken);

    public Task ReleaseLockAsync(string application, string environment, string owner, CancellationToken cancellationToken = default) =>
        WriteAsync((connection, transaction, token) =>
            connection.ExecuteAsync(Command(
                "DELETE FROM deploy_locks WHERE app_key = @key AND environment = @env AND owner = @owner",
                new { key = NamePattern.Key(application), env = EnvironmentKey(environment), owner }, transaction, token)),
            cancellationToken);

    public Task<DeployLock?> GetLockAsync(string application, string environment, CancellationToken cancellationToken = default) =>
        ReadAsync(async (connection, token) =>
            (await connection.QuerySingleOrDefaultAsync<LockRow>(Command(
                $"SELECT {LockRow.Columns} FROM deploy_locks WHERE app_key = @key AND environment = @env",
                new { key = NamePattern.Key(application), env = EnvironmentKey(environment) }, null, token)).ConfigureAwait(false))?.ToLock(),
            cancellationToken);

    // ---------------------------------------------------------------- helpers

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
