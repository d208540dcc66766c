using GovukDeploy.Configuration;
using GovukDeploy.Errors;
using GovukDeploy.Health;

namespace GovukDeploy.Tests.Health;

/// <summary>The health settings: checked when set, like the other URLs and names, and read back as the checks use them.</summary>
public sealed class HealthSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("govukdeploy-health-config-").FullName;
    private readonly Dictionary<string, string> _environment = new();

    private DeployConfiguration Configuration() => new(name => _environment.GetValueOrDefault(name), () => Path.Combine(_folder, "config.json"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(SettingCatalogue.IcingaUrl, "alert.example:5665", "InvalidUrl")]
    [InlineData(SettingCatalogue.IcingaUrl, "ftp://alert.{environment}.example/", "InvalidUrl")]
    [InlineData(SettingCatalogue.IcingaUrl, "https://root:secret@alert.example:5665/", "CredentialInUrl")]
    [InlineData(SettingCatalogue.SentryUrl, "sentry", "InvalidUrl")]
    [InlineData(SettingCatalogue.SentryOrganisation, "GOV UK", "InvalidSlug")]
    [InlineData(SettingCatalogue.SentryProjects, "whitehall", "InvalidSentryProjects")]
    [InlineData(SettingCatalogue.IcingaServiceFilter, "service.vars.app == \"whitehall\"", "InvalidIcingaServiceFilter")]
    [InlineData(SettingCatalogue.DashboardUrl, "grafana/{application}", "InvalidUrl")]
    [InlineData(SettingCatalogue.VerifyForSeconds, "0", "InvalidNumber")]
    public void ABadValueIsAConfigurationErrorAndChangesNothing(string setting, string value, string errorId)
    {
        var configuration = Configuration();
        var error = Assert.Throws<GovukDeployException>(() => configuration.SetSession(new Dictionary<string, string> { [setting] = value }));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.DoesNotContain("secret", error.Message);
        Assert.NotEqual(SettingSource.Session, configuration.Describe(DeployConfiguration.Definition(setting)).Source);
    }

    [Fact]
    public void ABadIcingaUrlFromTheEnvironmentIsReportedNamingTheVariable()
    {
        _environment["GOVUK_DEPLOY_ICINGA_URL"] = "not a url";
        var error = Assert.Throws<GovukDeployException>(() => HealthSettings.FromConfiguration(Configuration()));
        Assert.Equal("InvalidUrl", error.ErrorId);
        Assert.Contains("GOVUK_DEPLOY_ICINGA_URL", error.Message);
    }

    [Fact]
    public void GoodValuesAreReadAsTheChecksUseThem()
    {
        _environment["GOVUK_DEPLOY_SENTRY_URL"] = "https://sentry.example";
        _environment["SENTRY_AUTH_TOKEN"] = "token";
        _environment["GOVUK_DEPLOY_SENTRY_PROJECTS"] = "contacts-admin = contacts , whitehall=whitehall-admin";
        _environment["GOVUK_DEPLOY_ICINGA_URL"] = "https://alert.{environment}.example:5665";
        _environment["GOVUK_DEPLOY_DASHBOARD_URL"] = "https://grafana.example/d/x?var-app={application}&var-env={environment}";
        _environment["GOVUK_DEPLOY_ICINGA_SERVICE_FILTER"] = "match(\"*\", host.name) && app in service.vars.apps";

        var settings = HealthSettings.FromConfiguration(Configuration());

        Assert.Equal("https://sentry.example/", settings.SentryUrl!.ToString());
        Assert.Equal("govuk", settings.SentryOrganisation);
        Assert.Equal("contacts", settings.SentryProjectFor(HealthTestSupport.App("contacts-admin", "contacts")));
        Assert.Equal("frontend", settings.SentryProjectFor(HealthTestSupport.App("frontend")));
        Assert.Equal("https://alert.{environment}.example:5665/", settings.IcingaUrlTemplate);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.VerifyFor);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.VerifyInterval);
        Assert.True(settings.AnySourceConfigured);
    }

    [Fact]
    public void SecretsAreSessionOrEnvironmentOnly()
    {
        var configuration = Configuration();
        var error = Assert.Throws<GovukDeployException>(() => configuration.SetUser(new Dictionary<string, string> { [SettingCatalogue.SentryAuthToken] = "x" }));
        Assert.Equal("SecretNotPersisted", error.ErrorId);
        _environment["ICINGA_PASSWORD"] = "hunter2";
        Assert.Equal("(set)", configuration.Describe(DeployConfiguration.Definition(SettingCatalogue.IcingaPassword)).Value);
    }
}
