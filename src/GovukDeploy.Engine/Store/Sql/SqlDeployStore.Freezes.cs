using System.Text;
using Dapper;

namespace GovukDeploy.Store.Sql;

/// <summary>Deploy freezes: set, lift and read.</summary>
internal abstract partial class SqlDeployStore
{
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
}
