using GovukDeploy.Configuration;
using GovukDeploy.Errors;

namespace GovukDeploy.Tests;

public class SettingValidatorsTests
{
    [Theory]
    [InlineData("https://api.github.com", "https://api.github.com/")]
    [InlineData("http://127.0.0.1:8080/api/v3/", "http://127.0.0.1:8080/api/v3/")]
    public void UrlsAreNormalisedToEndInASlash(string given, string expected) =>
        Assert.Equal(expected, SettingValidators.HttpUrl("GitHubApiUrl", given));

    [Theory]
    [InlineData("api.github.com")]
    [InlineData("ftp://example.gov.uk/")]
    [InlineData("/relative/path")]
    public void NonHttpUrlsAreRejected(string given)
    {
        var error = Assert.Throws<GovukDeployException>(() => SettingValidators.HttpUrl("GitHubApiUrl", given));
        Assert.Equal("InvalidUrl", error.ErrorId);
        Assert.Equal(given, error.Target);
    }

    [Fact]
    public void JenkinsUrlMayNameTheEnvironment() =>
        Assert.Equal("https://deploy.{environment}.example.gov.uk/",
            SettingValidators.HttpUrl("JenkinsUrl", "https://deploy.{environment}.example.gov.uk", allowEnvironmentPlaceholder: true));

    [Fact]
    public void CredentialsInAUrlAreRefused() =>
        Assert.Equal("CredentialInUrl",
            Assert.Throws<GovukDeployException>(() => SettingValidators.HttpUrl("ReleaseAppUrl", "https://user:pw@release.example/")).ErrorId);

    [Theory]
    [InlineData("sqlite:store.db")]
    [InlineData("postgres://deployer@db.example:5432/deploys")]
    [InlineData("postgresql://db.example/deploys")]
    [InlineData("Host=db.example;Database=deploys;Username=deployer")]
    public void AcceptedStoreForms(string given) => Assert.NotEmpty(StoreValue.Normalise(given));

    [Theory]
    [InlineData("mysql://db/deploys")]
    [InlineData("sqlite:")]
    [InlineData("store.db")]
    public void UnknownStoreFormsAreRejected(string given) =>
        Assert.Equal("InvalidStore", Assert.Throws<GovukDeployException>(() => StoreValue.Normalise(given)).ErrorId);

    [Fact]
    public void ConnectionStringPasswordsAreMasked()
    {
        const string value = "Host=db;Username=u;Password=pw-123;Database=d";
        Assert.True(StoreValue.HasPassword(value));
        Assert.Equal("Host=db;Username=u;Password=***;Database=d", StoreValue.Redact(value));
    }

    [Theory]
    [InlineData("integration, Staging ,production", "integration,staging,production")]
    [InlineData("dev,prod", "dev,prod")]
    public void EnvironmentsAreNormalised(string given, string expected) =>
        Assert.Equal(expected, SettingValidators.Environments(given));

    [Theory]
    [InlineData("staging,staging")]
    [InlineData("has space")]
    [InlineData(",")]
    public void BadEnvironmentListsAreRejected(string given) =>
        Assert.Equal("InvalidEnvironments", Assert.Throws<GovukDeployException>(() => SettingValidators.Environments(given)).ErrorId);
}
