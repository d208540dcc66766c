namespace GovukDeploy.Tests.Store;

/// <summary>Where the PostgreSQL tests find their server, and the failure that tells a developer how to give them one.</summary>
internal static class TestPostgres
{
    public static string? ConnectionString(out bool skip)
    {
        skip = Environment.GetEnvironmentVariable(PostgresStoreContractTests.SkipVariable) == "1";
        var value = Environment.GetEnvironmentVariable(PostgresStoreContractTests.ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(value) || skip)
        {
            return value;
        }
        throw new InvalidOperationException(
            $"The PostgreSQL store tests need a server: set {PostgresStoreContractTests.ConnectionVariable} to an Npgsql connection string " +
            "(e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=govuk_deploy_test). " +
            "`dotnet pwsh -c '$pg = ./tests/Start-TestPostgres.ps1; $pg.ConnectionString'` starts a throwaway one (stop it with $pg.Stop()). " +
            $"To leave these tests out of a quick local loop, set {PostgresStoreContractTests.SkipVariable}=1 (CI must not).");
    }
}
