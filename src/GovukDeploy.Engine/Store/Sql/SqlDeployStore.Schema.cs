using System.Data.Common;

namespace GovukDeploy.Store.Sql;

/// <summary>The schema: whether a store is up to date, refused when a newer module wrote it, and brought up to date.</summary>
internal abstract partial class SqlDeployStore
{
    /// <summary>Whether the store has a schema_version table yet, asked without writing anything.</summary>
    protected abstract Task<bool> HasSchemaVersionTableAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// True when the store is at the latest schema, false when it has migrations to apply (or none yet).
    /// A store that a newer module has migrated further is refused with SchemaTooNew before anything is touched.
    /// </summary>
    protected async Task<bool> IsSchemaCurrentAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (!await HasSchemaVersionTableAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        var version = await Migrations.CurrentVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        if (version > Migrations.LatestVersion)
        {
            throw Errors.ErrorCatalogue.StoreSchemaTooNew(DisplayLocation, version, Migrations.LatestVersion);
        }
        return version == Migrations.LatestVersion;
    }

    /// <summary>Applies the pending migrations in one write transaction, which excludes other writers.</summary>
    protected async Task ApplyMigrationsAsync(DbConnection connection, SqlDialect dialect, CancellationToken cancellationToken)
    {
        var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var transactionLifetime = transaction.ConfigureAwait(false);
        await Migrations.ApplyAsync(connection, transaction, dialect, DisplayLocation, UnixMs.From(Now), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
