using Dapper;

namespace GovukDeploy.Store.Sql;

/// <summary>Confidential mode: which applications deploy without public announcement.</summary>
internal abstract partial class SqlDeployStore
{
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
}
