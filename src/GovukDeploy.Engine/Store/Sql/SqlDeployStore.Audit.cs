using System.Data.Common;
using System.Text;
using Dapper;

namespace GovukDeploy.Store.Sql;

/// <summary>The audit trail: append and read, and the audit row every change writes.</summary>
internal abstract partial class SqlDeployStore
{
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
        connection.ExecuteScalarAsync<long>(Command(InsertAuditSql + " RETURNING id", Bind(AuditColumns, AuditValues(at, actor, kind, application, environment, detail)), transaction, token));

    private static readonly string[] AuditColumns = ["at", "actor", "kind", "application", "key", "environment", "detail"];

    private static object?[] AuditValues(long at, string actor, string kind, string? application, string? environment, string detail) =>
        [at, actor, kind, application, application is null ? null : NamePattern.Key(application), environment, detail];

    private const string InsertAuditSql = """
        INSERT INTO audit_events (at, actor, kind, application, app_key, environment, detail)
        VALUES (@at, @actor, @kind, @application, @key, @environment, @detail)
        """;
}
