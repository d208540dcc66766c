using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Security;
using GovukDeploy.Configuration;
using GovukDeploy.Errors;

namespace GovukDeploy.Commands;

/// <summary>Where Set-GovukDeployConfiguration keeps what it is given.</summary>
public enum ConfigurationScope
{
    /// <summary>This PowerShell process only.</summary>
    Session,

    /// <summary>The per-user configuration file (never secrets).</summary>
    User,
}

/// <summary>
/// Changes settings for this session or in the user's configuration file. Every
/// value is checked before anything changes; secrets stay in the session.
/// </summary>
[Cmdlet(VerbsCommon.Set, "GovukDeployConfiguration", SupportsShouldProcess = true, DefaultParameterSetName = SettingsSet, HelpUri = ProjectLinks.DocsRoot + "Set-GovukDeployConfiguration.md")]
[OutputType(typeof(ConfigurationSetting))]
public sealed class SetGovukDeployConfigurationCommand : GovukDeployCmdlet
{
    private const string SettingsSet = "Settings";
    private const string ByNameSet = "ByName";
    private const string ResetSet = "Reset";

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string? GitHubApiUrl { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string? GitHubOrganisation { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateRange(1, 32)]
    public int? GitHubThrottleLimit { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string? JenkinsUrl { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string? DeployJobName { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string? SmokeTestJobName { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string? ReleaseAppUrl { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Environments { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string? TimeZone { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string? BankHolidayFeedUrl { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string? SentryUrl { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string? SentryOrganisation { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string? IcingaUrl { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string? DashboardUrl { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNull]
    public SecureString? GitHubToken { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNull]
    [Credential]
    public PSCredential? JenkinsCredential { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNull]
    public SecureString? ReleaseAppToken { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNull]
    public SecureString? SlackWebhookUrl { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNull]
    [Credential]
    public PSCredential? StoreCredential { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNull]
    public SecureString? SentryAuthToken { get; set; }

    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNull]
    [Credential]
    public PSCredential? IcingaCredential { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByNameSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SettingNameCompleter))]
    public string? Name { get; set; }

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByNameSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Value { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ResetSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SettingNameCompleter))]
    public string[]? Reset { get; set; }

    [Parameter]
    public ConfigurationScope Scope { get; set; } = ConfigurationScope.Session;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecordCore()
    {
        if (ParameterSetName == ResetSet)
        {
            ResetSettings(Reset!);
            return;
        }

        var values = CollectValues();
        var secrets = CollectSecrets();
        if (values.Count == 0 && secrets.Count == 0)
        {
            ThrowTerminating(ErrorCatalogue.NoSettingGiven());
        }

        if (Scope == ConfigurationScope.User && secrets.Count > 0)
        {
            var names = string.Join(", ", secrets.Keys);
            ThrowTerminating(ErrorCatalogue.SecretNotPersisted(names, "Set them with -Scope Session, or with their environment variables.", names));
        }

        var target = Scope == ConfigurationScope.User ? Configuration.UserFilePath : "this session";
        var described = string.Join(", ", values.Keys.Concat(secrets.Keys));
        if (!this.ShouldProcessOrRefuse(target, $"Set {described}"))
        {
            return;
        }

        if (Scope == ConfigurationScope.User)
        {
            Configuration.SetUser(values);
            WarnWhereShadowed(values.Keys);
        }
        else
        {
            Configuration.SetSession(values, secrets);
        }

        WriteVerbose($"Set {described} in {target}.");
        if (PassThru)
        {
            foreach (var name in values.Keys.Concat(secrets.Keys))
            {
                WriteObject(Configuration.Describe(DeployConfiguration.Definition(name)));
            }
        }
    }

    private void ResetSettings(string[] names)
    {
        foreach (var name in names)
        {
            DeployConfiguration.Definition(name);
        }

        var target = Scope == ConfigurationScope.User ? Configuration.UserFilePath : "this session";
        if (!this.ShouldProcessOrRefuse(target, $"Reset {string.Join(", ", names)}"))
        {
            return;
        }

        if (Scope == ConfigurationScope.User)
        {
            Configuration.ResetUser(names);
        }
        else
        {
            Configuration.ResetSession(names);
        }

        if (PassThru)
        {
            foreach (var name in names)
            {
                WriteObject(Configuration.Describe(DeployConfiguration.Definition(name)));
            }
        }
    }

    private Dictionary<string, string> CollectValues()
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                values[name] = value;
            }
        }

        if (ParameterSetName == ByNameSet)
        {
            Add(DeployConfiguration.Definition(Name!).Name, Value);
            return values;
        }

        Add(SettingCatalogue.GitHubApiUrl, GitHubApiUrl);
        Add(SettingCatalogue.GitHubOrganisation, GitHubOrganisation);
        Add(SettingCatalogue.GitHubThrottleLimit, GitHubThrottleLimit?.ToString(CultureInfo.InvariantCulture));
        Add(SettingCatalogue.JenkinsUrl, JenkinsUrl);
        Add(SettingCatalogue.DeployJobName, DeployJobName);
        Add(SettingCatalogue.SmokeTestJobName, SmokeTestJobName);
        Add(SettingCatalogue.ReleaseAppUrl, ReleaseAppUrl);
        Add(SettingCatalogue.Store, Store);
        Add(SettingCatalogue.Environments, Environments is null ? null : string.Join(',', Environments));
        Add(SettingCatalogue.TimeZone, TimeZone);
        Add(SettingCatalogue.BankHolidayFeedUrl, BankHolidayFeedUrl);
        Add(SettingCatalogue.SentryUrl, SentryUrl);
        Add(SettingCatalogue.SentryOrganisation, SentryOrganisation);
        Add(SettingCatalogue.IcingaUrl, IcingaUrl);
        Add(SettingCatalogue.DashboardUrl, DashboardUrl);
        if (JenkinsCredential is not null)
        {
            Add(SettingCatalogue.JenkinsUser, JenkinsCredential.UserName);
        }

        if (IcingaCredential is not null)
        {
            Add(SettingCatalogue.IcingaUser, IcingaCredential.UserName);
        }

        return values;
    }

    private Dictionary<string, Secret> CollectSecrets()
    {
        var secrets = new Dictionary<string, Secret>(StringComparer.OrdinalIgnoreCase);
        void Add(string name, SecureString? value)
        {
            if (value is not null)
            {
                var plain = new NetworkCredential(string.Empty, value).Password;
                if (string.IsNullOrEmpty(plain))
                {
                    ThrowTerminating(ErrorCatalogue.EmptySecret(name));
                }

                secrets[name] = new Secret(plain);
            }
        }

        Add(SettingCatalogue.GitHubToken, GitHubToken);
        Add(SettingCatalogue.JenkinsApiToken, JenkinsCredential?.Password);
        Add(SettingCatalogue.ReleaseAppToken, ReleaseAppToken);
        Add(SettingCatalogue.SlackWebhookUrl, SlackWebhookUrl);
        Add(SettingCatalogue.StorePassword, StoreCredential?.Password);
        Add(SettingCatalogue.SentryAuthToken, SentryAuthToken);
        Add(SettingCatalogue.IcingaPassword, IcingaCredential?.Password);
        return secrets;
    }

    private void WarnWhereShadowed(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            var effective = Configuration.Describe(DeployConfiguration.Definition(name));
            if (effective.Source is SettingSource.Session or SettingSource.EnvironmentVariable)
            {
                WriteWarning($"{name} was saved to the configuration file, but the value from the {effective.Source} still takes precedence here.");
            }
        }
    }
}
