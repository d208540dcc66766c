using Dapper;

namespace GovukDeploy.Store.Sql;

/// <summary>Deploys observed in Jenkins history, and how far each job has been read (sync state).</summary>
internal abstract partial class SqlDeployStore
{
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
}
