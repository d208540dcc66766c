using System.Net;
using GovukDeploy.Errors;
using GovukDeploy.Platform;
using GovukDeploy.Store;
using Npgsql;

namespace GovukDeploy.Tests.Store;

public sealed class StoreLocationTests
{
    [Fact]
    public void SqliteLocationsBecomeFullPaths()
    {
        var location = StoreLocation.Parse("sqlite:relative/store.db");
        Assert.Equal(StoreKind.Sqlite, location.Kind);
        Assert.Equal(Path.GetFullPath("relative/store.db"), location.SqlitePath);
        Assert.Equal("sqlite:" + Path.GetFullPath("relative/store.db"), location.ToString());

        var home = StoreLocation.Parse("SQLITE:~/deploy.db");
        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "deploy.db"), home.SqlitePath);
    }

    [Fact]
    public void TheDefaultIsStoreDbInTheDataFolder()
    {
        Assert.Equal(Path.Combine(PlatformPaths.DataDirectory, "store.db"), StoreLocation.Default.SqlitePath);
    }

    [Fact]
    public void PostgresUrlsAreParsedAndShownWithoutTheirPassword()
    {
        var location = StoreLocation.Parse("postgres://deploy%40er:p%3Ass@db.internal:6543/govuk_deploy?sslmode=require");
        Assert.Equal(StoreKind.Postgres, location.Kind);
        Assert.Equal("postgres://deploy%40er@db.internal:6543/govuk_deploy", location.ToString());

        var builder = DeployStoreFactory.PostgresBuilder(location, null);
        Assert.Equal(("db.internal", 6543, "govuk_deploy", "deploy@er", "p:ss"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal(DeployStoreFactory.DefaultConnectTimeoutSeconds, builder.Timeout);
        Assert.Contains($"idle_in_transaction_session_timeout={DeployStoreFactory.IdleInTransactionTimeoutMs}", builder.Options);

        var defaults = StoreLocation.Parse("postgresql://db.internal/govuk");
        Assert.Equal("postgres://db.internal:5432/govuk", defaults.ToString());
    }

    [Fact]
    public void ConnectionStringsAreAccepted()
    {
        var location = StoreLocation.Parse("Host=db.internal;Port=5433;Database=govuk;Username=deployer;Password=hunter2;Timeout=9");
        Assert.Equal("postgres://deployer@db.internal:5433/govuk", location.ToString());
        Assert.Equal(9, DeployStoreFactory.PostgresBuilder(location, null).Timeout);
    }

    [Fact]
    public void ACredentialOverridesTheLocationAndPgPasswordFillsAGap()
    {
        var location = StoreLocation.Parse("postgres://deployer:frompath@db.internal/govuk");
        var withCredential = DeployStoreFactory.PostgresBuilder(location, new NetworkCredential("admin", "fromcredential"));
        Assert.Equal(("admin", "fromcredential"), (withCredential.Username, withCredential.Password));

        var previous = Environment.GetEnvironmentVariable("PGPASSWORD");
        try
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", "fromenvironment");
            Assert.Equal("frompath", DeployStoreFactory.PostgresBuilder(location, null).Password);
            Assert.Equal("fromenvironment", DeployStoreFactory.PostgresBuilder(StoreLocation.Parse("postgres://deployer@db.internal/govuk"), null).Password);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", previous);
        }
    }

    [Theory]
    [InlineData("mysql://root:topsecret@db/govuk")]
    [InlineData("just-a-file.db")]
    [InlineData("sqlite:")]
    [InlineData("")]
    [InlineData("Database=govuk;Password=topsecret")]
    public void AnythingElseIsAnInvalidStoreThatListsTheAcceptedFormsWithoutThePassword(string value)
    {
        var error = Assert.Throws<GovukDeployException>(() => StoreLocation.Parse(value));
        Assert.Equal("InvalidStore", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("sqlite:<path>", error.Message);
        Assert.Contains("postgres://", error.Message);
        Assert.Contains("Host=", error.Message);
        Assert.DoesNotContain("topsecret", error.Message);
        Assert.DoesNotContain("topsecret", error.Target?.ToString() ?? "");
    }
}
