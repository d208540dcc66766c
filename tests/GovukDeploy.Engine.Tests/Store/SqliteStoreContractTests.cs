using GovukDeploy.Store;
using GovukDeploy.Store.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace GovukDeploy.Tests.Store;

/// <summary>The store contract on SQLite, each test on its own temporary file.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "govuk-deploy-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_folder, "store.db");

    protected override string ChildLocation => "sqlite:" + DatabasePath;

    protected override Task PrepareAsync() => Task.CompletedTask;

    protected override IDeployStore OpenStore(IClock clock) => new SqliteDeployStore(DatabasePath, clock);

    protected override async Task ExecuteRawAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected override Task CleanUpAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
        return Task.CompletedTask;
    }
}
