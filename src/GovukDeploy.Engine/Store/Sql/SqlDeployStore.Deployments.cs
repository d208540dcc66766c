using System.Text;
using System.Text.Json;
using Dapper;

namespace GovukDeploy.Store.Sql;

/// <summary>Deployments started and finished by GovukDeploy, and the reads over them.</summary>
internal abstract partial class SqlDeployStore
{
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
}
