using Dapper;

namespace GovukDeploy.Store.Sql;

/// <summary>Deploy locks: one deployer per application and environment, held by a renewable lease.</summary>
internal abstract partial class SqlDeployStore
{
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
}
