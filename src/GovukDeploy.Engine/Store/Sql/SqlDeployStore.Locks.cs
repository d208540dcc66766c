using System.Data.Common;
using Dapper;

namespace GovukDeploy.Store.Sql;

/// <summary>Deploy locks: one deployer per application and environment, held by a renewable lease.</summary>
internal abstract partial class SqlDeployStore
{
    /// <summary>
    /// Takes the lock in one statement: insert it, or take the row over only when it is this owner's,
    /// its lease has run out, or its holder has not renewed for more than twice the interval it promised.
    /// Whoever's statement runs second sees the first one's fresh renewal, so two takers never both win.
    /// </summary>
    private static readonly string AcquireSql = $"""
        INSERT INTO deploy_locks (app_key, environment, application, owner, acquired_at, expires_at, renewed_at, renewal_interval_ms)
        VALUES (@key, @env, @application, @owner, @nowMs, @expires, @nowMs, @intervalMs)
        ON CONFLICT (app_key, environment) DO UPDATE SET
            application = excluded.application,
            owner = excluded.owner,
            acquired_at = CASE WHEN deploy_locks.owner = excluded.owner THEN deploy_locks.acquired_at ELSE excluded.acquired_at END,
            expires_at = excluded.expires_at,
            renewed_at = excluded.renewed_at,
            renewal_interval_ms = excluded.renewal_interval_ms
        WHERE deploy_locks.owner = excluded.owner
            OR deploy_locks.expires_at <= excluded.acquired_at
            OR deploy_locks.renewed_at + {DeployLock.MissedRenewalsAllowed} * deploy_locks.renewal_interval_ms < excluded.acquired_at
        RETURNING {LockRow.Columns}
        """;

    public Task<DeployLockAttempt> TryAcquireLockAsync(string application, string environment, string owner, TimeSpan lease, TimeSpan? renewalInterval = null, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, token) =>
        {
            var key = NamePattern.Key(application);
            var env = EnvironmentKey(environment);
            var now = Now;
            var nowMs = UnixMs.From(now);
            var expires = UnixMs.From(now + lease);
            long? intervalMs = renewalInterval is { } interval ? (long)interval.TotalMilliseconds : null;

            // Read only to say whose lock this was; the conditional statement alone decides who wins.
            var previous = await SelectLockAsync(connection, transaction, key, env, token).ConfigureAwait(false);
            var taken = await connection.QuerySingleOrDefaultAsync<LockRow>(Command(AcquireSql,
                new { key, env, application, owner, nowMs, expires, intervalMs }, transaction, token)).ConfigureAwait(false);
            if (taken is null)
            {
                var holder = await SelectLockAsync(connection, transaction, key, env, token).ConfigureAwait(false);
                return new DeployLockAttempt(false, (holder ?? previous)!.ToLock());
            }

            if (previous is null || previous.Owner == owner)
            {
                return new DeployLockAttempt(true, taken.ToLock());
            }

            var before = previous.ToLock();
            await InsertAuditAsync(connection, transaction, nowMs, owner, AuditKinds.DeployLockTakenOver, application, env,
                TakeoverDetail(before, now), token).ConfigureAwait(false);
            return new DeployLockAttempt(true, taken.ToLock(), before);
        }, cancellationToken);

    /// <summary>Why the lock could be taken over, naming its previous owner and when it last renewed.</summary>
    private static string TakeoverDetail(DeployLock before, DateTimeOffset now) =>
        before.IsExpiredAt(now)
            ? $"Took over the deploy lock of {before.DescribeHolder()}: its lease ran out at {before.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC."
            : $"Took over the deploy lock of {before.DescribeHolder()}: it promised to renew every {before.RenewalInterval!.Value.TotalSeconds:0.###} s and had not for {(now - before.RenewedAt!.Value).TotalSeconds:0.###} s, so its process is taken to have died.";

    private static Task<LockRow?> SelectLockAsync(DbConnection connection, DbTransaction? transaction, string key, string env, CancellationToken token) =>
        connection.QuerySingleOrDefaultAsync<LockRow>(Command(
            $"SELECT {LockRow.Columns} FROM deploy_locks WHERE app_key = @key AND environment = @env", new { key, env }, transaction, token));

    public Task<bool> RenewLockAsync(string application, string environment, string owner, TimeSpan lease, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, token) =>
        {
            var now = Now;
            var nowMs = UnixMs.From(now);
            var expires = UnixMs.From(now + lease);
            // A lapsed lease that nobody took over may still be renewed by its owner.
            var updated = await connection.ExecuteAsync(Command(
                "UPDATE deploy_locks SET expires_at = @expires, renewed_at = @nowMs WHERE app_key = @key AND environment = @env AND owner = @owner",
                new { expires, nowMs, key = NamePattern.Key(application), env = EnvironmentKey(environment), owner }, transaction, token)).ConfigureAwait(false);
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
            (await SelectLockAsync(connection, null, NamePattern.Key(application), EnvironmentKey(environment), token).ConfigureAwait(false))?.ToLock(),
            cancellationToken);
}
