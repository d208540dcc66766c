using GovukDeploy.Configuration;
using GovukDeploy.Errors;

namespace GovukDeploy.Tests;

public sealed class DeployConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("govukdeploy-config-").FullName;
    private readonly Dictionary<string, string> _environment = new();

    private string ConfigPath => Path.Combine(_folder, "config.json");

    private DeployConfiguration NewConfiguration() => new(name => _environment.GetValueOrDefault(name), () => ConfigPath);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void SessionBeatsEnvironmentBeatsFileBeatsDefault()
    {
        var configuration = NewConfiguration();
        Assert.Equal(("Deploy_App", SettingSource.Default), Effective(configuration, SettingCatalogue.DeployJobName));

        configuration.SetUser(new Dictionary<string, string> { [SettingCatalogue.DeployJobName] = "from-file" });
        Assert.Equal(("from-file", SettingSource.UserFile), Effective(configuration, SettingCatalogue.DeployJobName));

        _environment["GOVUK_DEPLOY_DEPLOY_JOB"] = "from-env";
        Assert.Equal(("from-env", SettingSource.EnvironmentVariable), Effective(configuration, SettingCatalogue.DeployJobName));

        configuration.SetSession(new Dictionary<string, string> { [SettingCatalogue.DeployJobName] = "folder/from-session" });
        Assert.Equal(("folder/from-session", SettingSource.Session), Effective(configuration, SettingCatalogue.DeployJobName));

        configuration.ResetSession([SettingCatalogue.DeployJobName]);
        _environment.Remove("GOVUK_DEPLOY_DEPLOY_JOB");
        configuration.ResetUser([SettingCatalogue.DeployJobName]);
        Assert.Equal(("Deploy_App", SettingSource.Default), Effective(configuration, SettingCatalogue.DeployJobName));
    }

    [Fact]
    public void TheDeployLockRenewalIntervalIsASettingOfWholeSeconds()
    {
        var configuration = NewConfiguration();
        Assert.Equal(TimeSpan.FromSeconds(30), Deploys.DeploySettings.FromConfiguration(configuration).LockRenewalInterval);

        _environment["GOVUK_DEPLOY_LOCK_RENEWAL"] = "2";
        Assert.Equal(TimeSpan.FromSeconds(2), Deploys.DeploySettings.FromConfiguration(configuration).LockRenewalInterval);

        foreach (var bad in new[] { "0", "601", "1.5", "soon" })
        {
            var error = Assert.Throws<GovukDeployException>(() =>
                configuration.SetSession(new Dictionary<string, string> { [SettingCatalogue.DeployLockRenewalSeconds] = bad }));
            Assert.Equal(("InvalidNumber", (object?)bad), (error.ErrorId, error.Target));
        }
    }

    [Fact]
    public void AFileChangedOnDiskIsReadAgain()
    {
        var configuration = NewConfiguration();
        File.WriteAllText(ConfigPath, """{ "GitHubOrganisation": "first" }""");
        Assert.Equal("first", configuration.Get(SettingCatalogue.GitHubOrganisation));
        File.WriteAllText(ConfigPath, """{ "GitHubOrganisation": "second" }""");
        File.SetLastWriteTimeUtc(ConfigPath, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal("second", configuration.Get(SettingCatalogue.GitHubOrganisation));
    }

    [Fact]
    public void UserFileIsOwnerOnlyAndHoldsNoSecret()
    {
        var configuration = NewConfiguration();
        configuration.SetSession(new Dictionary<string, string>(), new Dictionary<string, Secret> { [SettingCatalogue.GitHubToken] = new("token-in-session") });
        configuration.SetUser(new Dictionary<string, string> { [SettingCatalogue.GitHubApiUrl] = "https://ghe.example/api/v3" });

        var text = File.ReadAllText(ConfigPath);
        Assert.Contains("https://ghe.example/api/v3/", text);
        Assert.DoesNotContain("token-in-session", text);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
        }

        Assert.Equal("token-in-session", configuration.GetSecret(SettingCatalogue.GitHubToken)!.Reveal());
    }

    [Fact]
    public void SecretsComeFromTheSessionOrTheEnvironmentAndAreNeverShown()
    {
        var configuration = NewConfiguration();
        Assert.Null(configuration.GetSecret(SettingCatalogue.GitHubToken));
        _environment["GH_TOKEN"] = "gh-token-value";
        var secret = configuration.GetSecret(SettingCatalogue.GitHubToken);
        Assert.Equal("gh-token-value", secret!.Reveal());
        Assert.Equal("********", secret.ToString());

        var shown = configuration.Describe(DeployConfiguration.Definition(SettingCatalogue.GitHubToken));
        Assert.Equal("(set)", shown.Value);
        Assert.Equal(SettingSource.EnvironmentVariable, shown.Source);
    }

    [Fact]
    public void ASecretCannotBeWrittenToTheFile()
    {
        var configuration = NewConfiguration();
        var error = Assert.Throws<GovukDeployException>(() =>
            configuration.SetUser(new Dictionary<string, string> { [SettingCatalogue.GitHubToken] = "x" }));
        Assert.Equal("SecretNotPersisted", error.ErrorId);
        Assert.False(File.Exists(ConfigPath));
    }

    [Fact]
    public void AStorePasswordIsRefusedForTheFileAndMaskedWhenShown()
    {
        var configuration = NewConfiguration();
        var url = "postgres://deployer:s3cret-pw@db.example:5432/deploys";
        var error = Assert.Throws<GovukDeployException>(() =>
            configuration.SetUser(new Dictionary<string, string> { [SettingCatalogue.Store] = url }));
        Assert.Equal("SecretNotPersisted", error.ErrorId);
        Assert.DoesNotContain("s3cret-pw", error.Message);
        Assert.DoesNotContain("s3cret-pw", error.Target?.ToString());

        configuration.SetSession(new Dictionary<string, string> { [SettingCatalogue.Store] = url });
        var shown = configuration.Describe(DeployConfiguration.Definition(SettingCatalogue.Store));
        Assert.Equal("postgres://deployer:***@db.example:5432/deploys", shown.Value);
    }

    [Fact]
    public void ABadValueChangesNothing()
    {
        var configuration = NewConfiguration();
        configuration.SetUser(new Dictionary<string, string> { [SettingCatalogue.GitHubOrganisation] = "kept" });
        var before = File.ReadAllBytes(ConfigPath);

        var error = Assert.Throws<GovukDeployException>(() => configuration.SetUser(new Dictionary<string, string>
        {
            [SettingCatalogue.GitHubOrganisation] = "changed",
            [SettingCatalogue.JenkinsUrl] = "not a url",
        }));

        Assert.Equal("InvalidUrl", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("not a url", error.Target);
        Assert.Equal(before, File.ReadAllBytes(ConfigPath));
    }

    [Fact]
    public void ACorruptFileIsReportedAndNeverOverwritten()
    {
        File.WriteAllText(ConfigPath, "{ not json");
        var configuration = NewConfiguration();
        var error = Assert.Throws<GovukDeployException>(() =>
            configuration.SetUser(new Dictionary<string, string> { [SettingCatalogue.GitHubOrganisation] = "x" }));
        Assert.Equal("ConfigFileCorrupt", error.ErrorId);
        Assert.Equal(ConfigPath, error.Target);
        Assert.Equal("{ not json", File.ReadAllText(ConfigPath));
    }

    [Theory]
    [InlineData("{ \"Store\": [\"sqlite:/tmp/team.db\"] }", "Store")]
    [InlineData("{ \"Store\": { \"path\": \"/tmp/team.db\" } }", "Store")]
    [InlineData("{ \"GitHubThrottleLimit\": 4 }", "GitHubThrottleLimit")]
    [InlineData("{ \"Store\": null }", "Store")]
    [InlineData("{ \"Store\": \"mysql://db/deploys\" }", "Store")]
    public void ASettingOfTheWrongTypeOrValueStopsEveryReadNamingFileAndSetting(string content, string setting)
    {
        File.WriteAllText(ConfigPath, content);
        var configuration = NewConfiguration();

        // Never the personal default store in place of the team's: the store and any other setting read from the file fail.
        foreach (var name in new[] { SettingCatalogue.Store, SettingCatalogue.GitHubOrganisation })
        {
            var error = Assert.Throws<GovukDeployException>(() => configuration.Get(name));
            Assert.Equal("ConfigFileCorrupt", error.ErrorId);
            Assert.Equal(ConfigPath, error.Target);
            Assert.Contains(ConfigPath, error.Message);
            Assert.Contains(setting, error.Message);
        }
    }

    [Fact]
    public void AConfigurationPathThatIsAFolderIsCorruptNotEmpty()
    {
        Directory.CreateDirectory(ConfigPath);
        var error = Assert.Throws<GovukDeployException>(() => NewConfiguration().Get(SettingCatalogue.Store));
        Assert.Equal("ConfigFileCorrupt", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        Assert.Contains("folder", error.Message);
    }

    [Fact]
    public void UnknownNamesInTheFileAreListedNotFatal()
    {
        File.WriteAllText(ConfigPath, "{ \"GitHubOrganisation\": \"team\", \"SomethingNew\": 3 }");
        var configuration = NewConfiguration();
        Assert.Equal("team", configuration.Get(SettingCatalogue.GitHubOrganisation));
        Assert.Equal(["SomethingNew"], configuration.IgnoredUserFileNames);
    }

    [Fact]
    public void AnUnknownSettingListsTheKnownOnes()
    {
        var error = Assert.Throws<GovukDeployException>(() => DeployConfiguration.Definition("GitHubApiUri"));
        Assert.Equal("UnknownSetting", error.ErrorId);
        Assert.Contains("GitHubApiUrl", error.Message);
    }

    [Fact]
    public void ABadEnvironmentValueNamesTheVariable()
    {
        _environment["GOVUK_DEPLOY_JENKINS_URL"] = "jenkins.example";
        var error = Assert.Throws<GovukDeployException>(() => NewConfiguration().Get(SettingCatalogue.JenkinsUrl));
        Assert.Contains("GOVUK_DEPLOY_JENKINS_URL", error.Message);
    }

    private static (string?, SettingSource) Effective(DeployConfiguration configuration, string name)
    {
        var setting = configuration.Describe(DeployConfiguration.Definition(name));
        return (setting.Value, setting.Source);
    }
}
