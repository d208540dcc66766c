namespace GovukDeploy.Tests.Store;

/// <summary>Where the PostgreSQL tests find their server, and the failure that tells a developer how to give them one.</summary>
internal static class TestPostgres
{
    public const string ConnectionVariable = "GOVUK_DEPLOY_TEST_POSTGRES";
    public const string SkipVariable = "GOVUK_DEPLOY_SKIP_POSTGRES";

    /// <summary>Why the PostgreSQL tests are skipped, or null when they run: only a developer's explicit request skips them.</summary>
    public static string? SkipReason =>
        Environment.GetEnvironmentVariable(SkipVariable) == "1"
            ? $"{SkipVariable}=1 leaves the PostgreSQL tests out (CI must not set it)."
            : null;

    /// <summary>
    /// The server's connection string. Without one (and without the request to skip) the test fails
    /// saying how to start a server: a run that could not test PostgreSQL must not look green.
    /// </summary>
    public static string ConnectionString()
    {
        var value = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }
        throw new InvalidOperationException(
            $"The PostgreSQL store tests need a server: set {ConnectionVariable} to an Npgsql connection string " +
            "(e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=govuk_deploy_test). " +
            "`dotnet pwsh -c '$pg = ./tests/Start-TestPostgres.ps1; $pg.ConnectionString'` starts a throwaway one (stop it with $pg.Stop()). " +
            $"To leave these tests out of a quick local loop, set {SkipVariable}=1 (CI must not): they are then reported as skipped.");
    }
}

/// <summary>Marks a test class all of whose tests need the test PostgreSQL server.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class NeedsPostgresAttribute : Attribute;

/// <summary>A fact that needs the test PostgreSQL server: reported as skipped, saying why, when the developer asked to leave PostgreSQL out.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestPostgres.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
