using GovukDeploy.Store;
using GovukDeploy.Store.Postgres;
using NodaTime;
using Npgsql;

namespace GovukDeploy.Tests.Store;

/// <summary>
/// The store contract on PostgreSQL, each test in its own schema of the database named by
/// GOVUK_DEPLOY_TEST_POSTGRES. Without that variable these tests fail (a run that could not
/// test PostgreSQL must not look green), unless GOVUK_DEPLOY_SKIP_POSTGRES=1 asks to leave them
/// out: they are then reported as skipped.
/// </summary>
[Trait("Backend", "Postgres")]
[NeedsPostgres]
public sealed class PostgresStoreContractTests : StoreContractTests
{
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N");
    private readonly string _connectionString = TestPostgres.ConnectionString();

    private NpgsqlConnectionStringBuilder Builder => new(_connectionString) { SearchPath = _schema };

    protected override string ChildLocation => Builder.ConnectionString;

    protected override async Task PrepareAsync()
    {
        await ExecuteOnDatabaseAsync($"CREATE SCHEMA {_schema}");
    }

    // Through the factory's own connection settings, as the module opens a store.
    protected override IDeployStore OpenStore(IClock clock) =>
        new PostgresDeployStore(DeployStoreFactory.PostgresBuilder(StoreLocation.Parse(Builder.ConnectionString), null), clock);

    protected override async Task ExecuteRawAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override Task CleanUpAsync() => ExecuteOnDatabaseAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");

    private async Task ExecuteOnDatabaseAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
