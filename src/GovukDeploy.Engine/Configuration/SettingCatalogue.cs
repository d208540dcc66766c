using GovukDeploy.Platform;
using GovukDeploy.DeployWindows;

namespace GovukDeploy.Configuration;

/// <summary>Every setting the module knows, with its default and environment variables.</summary>
public static class SettingCatalogue
{
    public const string GitHubApiUrl = nameof(GitHubApiUrl);
    public const string GitHubOrganisation = nameof(GitHubOrganisation);
    public const string GitHubToken = nameof(GitHubToken);
    public const string GitHubThrottleLimit = nameof(GitHubThrottleLimit);
    public const string GitHubRateLimitWaitSeconds = nameof(GitHubRateLimitWaitSeconds);
    public const string DeploymentSyncMaxAge = nameof(DeploymentSyncMaxAge);
    public const string DeploymentSyncMaxBuilds = nameof(DeploymentSyncMaxBuilds);
    public const string JenkinsUrl = nameof(JenkinsUrl);
    public const string JenkinsUser = nameof(JenkinsUser);
    public const string JenkinsApiToken = nameof(JenkinsApiToken);
    public const string DeployJobName = nameof(DeployJobName);
    public const string SmokeTestJobName = nameof(SmokeTestJobName);
    public const string ReleaseAppUrl = nameof(ReleaseAppUrl);
    public const string ReleaseAppToken = nameof(ReleaseAppToken);
    public const string SlackWebhookUrl = nameof(SlackWebhookUrl);
    public const string Store = nameof(Store);
    public const string StorePassword = nameof(StorePassword);
    public const string Environments = nameof(Environments);
    public const string TimeZone = nameof(TimeZone);
    public const string BankHolidayFeedUrl = nameof(BankHolidayFeedUrl);
    public const string DeployWindowPolicies = nameof(DeployWindowPolicies);
    public const string SentryUrl = nameof(SentryUrl);
    public const string SentryOrganisation = nameof(SentryOrganisation);
    public const string SentryProjects = nameof(SentryProjects);
    public const string SentryAuthToken = nameof(SentryAuthToken);
    public const string IcingaUrl = nameof(IcingaUrl);
    public const string IcingaUser = nameof(IcingaUser);
    public const string IcingaPassword = nameof(IcingaPassword);
    public const string IcingaServiceFilter = nameof(IcingaServiceFilter);
    public const string DashboardUrl = nameof(DashboardUrl);
    public const string VerifyForSeconds = nameof(VerifyForSeconds);
    public const string VerifyIntervalSeconds = nameof(VerifyIntervalSeconds);
    public const string DeployLockRenewalSeconds = nameof(DeployLockRenewalSeconds);

    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        new()
        {
            Name = GitHubApiUrl, Default = "https://api.github.com/",
            EnvironmentVariables = ["GOVUK_DEPLOY_GITHUB_API_URL"],
            Description = "GitHub's REST API address (a GitHub Enterprise server's /api/v3/ address works too).",
            Normalise = v => SettingValidators.HttpUrl(GitHubApiUrl, v),
        },
        new()
        {
            Name = GitHubOrganisation, Default = "alphagov",
            EnvironmentVariables = ["GOVUK_DEPLOY_GITHUB_ORGANISATION"],
            Description = "The organisation that owns the applications' repositories when a catalogue does not say.",
            Normalise = SettingValidators.GitHubOrganisation,
        },
        new()
        {
            Name = GitHubToken, IsSecret = true,
            EnvironmentVariables = ["GITHUB_TOKEN", "GH_TOKEN"],
            Description = "GitHub token (session only or from the environment; never saved).",
        },
        new()
        {
            Name = GitHubThrottleLimit, Default = "6",
            EnvironmentVariables = ["GOVUK_DEPLOY_GITHUB_THROTTLE_LIMIT"],
            Description = "How many GitHub requests may be in flight at once.",
            Normalise = v => SettingValidators.PositiveInteger(GitHubThrottleLimit, v, 32),
        },
        new()
        {
            Name = GitHubRateLimitWaitSeconds, Default = "60",
            EnvironmentVariables = ["GOVUK_DEPLOY_GITHUB_RATE_LIMIT_WAIT"],
            Description = "How long (seconds) to wait for GitHub's rate limit to reset before failing with LimitsExceeded instead.",
            Normalise = v => SettingValidators.PositiveInteger(GitHubRateLimitWaitSeconds, v, 3600),
        },
        new()
        {
            Name = DeploymentSyncMaxAge, Default = "60",
            EnvironmentVariables = ["GOVUK_DEPLOY_SYNC_MAX_AGE"],
            Description = "How old (seconds) the store's view of what each environment runs may be before a command reads Jenkins' deploy history again.",
            Normalise = v => SettingValidators.PositiveInteger(DeploymentSyncMaxAge, v, 86400),
        },
        new()
        {
            Name = DeploymentSyncMaxBuilds, Default = "1000",
            EnvironmentVariables = ["GOVUK_DEPLOY_SYNC_MAX_BUILDS"],
            Description = "How far back (builds per environment) Jenkins' deploy history is searched for an application not yet seen there.",
            Normalise = v => SettingValidators.PositiveInteger(DeploymentSyncMaxBuilds, v, 100000),
        },
        new()
        {
            Name = JenkinsUrl,
            EnvironmentVariables = ["GOVUK_DEPLOY_JENKINS_URL"],
            Description = "Jenkins' address; '{environment}' in it is replaced by the environment's name, for one Jenkins per environment.",
            Normalise = v => SettingValidators.HttpUrl(JenkinsUrl, v, allowEnvironmentPlaceholder: true),
        },
        new()
        {
            Name = JenkinsUser,
            EnvironmentVariables = ["JENKINS_USER"],
            Description = "The Jenkins user whose API token is used.",
        },
        new()
        {
            Name = JenkinsApiToken, IsSecret = true,
            EnvironmentVariables = ["JENKINS_API_TOKEN"],
            Description = "Jenkins API token (session only or from the environment; never saved).",
        },
        new()
        {
            Name = DeployJobName, Default = "Deploy_App",
            EnvironmentVariables = ["GOVUK_DEPLOY_DEPLOY_JOB"],
            Description = "The Jenkins job that deploys an application (folders separated by '/').",
            Normalise = v => SettingValidators.JobName(DeployJobName, v),
        },
        new()
        {
            Name = SmokeTestJobName, Default = "Smokey",
            EnvironmentVariables = ["GOVUK_DEPLOY_SMOKE_TEST_JOB"],
            Description = "The Jenkins job that runs the smoke tests.",
            Normalise = v => SettingValidators.JobName(SmokeTestJobName, v),
        },
        new()
        {
            Name = ReleaseAppUrl,
            EnvironmentVariables = ["GOVUK_DEPLOY_RELEASE_APP_URL"],
            Description = "The Release app's address; when set, its deploy_freeze flags count as freezes and deploys are recorded there.",
            Normalise = v => SettingValidators.HttpUrl(ReleaseAppUrl, v),
        },
        new()
        {
            Name = ReleaseAppToken, IsSecret = true,
            EnvironmentVariables = ["RELEASE_APP_BEARER_TOKEN"],
            Description = "The Release app's bearer token (session only or from the environment; never saved).",
        },
        new()
        {
            Name = SlackWebhookUrl, IsSecret = true,
            EnvironmentVariables = ["SLACK_WEBHOOK_URL"],
            Description = "Slack incoming webhook for -Announce (a secret: session only or from the environment; never saved).",
            Normalise = v => SettingValidators.SecretHttpsUrl(SlackWebhookUrl, v),
        },
        new()
        {
            Name = Store, Default = "sqlite:" + Path.Combine(PlatformPaths.DataDirectory, "store.db"),
            EnvironmentVariables = ["GOVUK_DEPLOY_STORE"],
            Description = "Where freezes, deploys and the audit log live: " + StoreValue.AcceptedForms + ".",
            Normalise = StoreValue.Normalise,
        },
        new()
        {
            Name = StorePassword, IsSecret = true,
            EnvironmentVariables = ["PGPASSWORD"],
            Description = "The PostgreSQL store's password (session only or from the environment; never saved).",
        },
        new()
        {
            Name = Environments, Default = "integration,staging,production",
            EnvironmentVariables = ["GOVUK_DEPLOY_ENVIRONMENTS"],
            Description = "The environments in promotion order, comma-separated.",
            Normalise = SettingValidators.Environments,
        },
        new()
        {
            Name = TimeZone, Default = "Europe/London",
            EnvironmentVariables = ["GOVUK_DEPLOY_TIME_ZONE"],
            Description = "The deploy policy's time zone, used for deploy hours and to show times.",
            Normalise = SettingValidators.TimeZone,
        },
        new()
        {
            Name = BankHolidayFeedUrl, Default = "https://www.gov.uk/bank-holidays.json",
            EnvironmentVariables = ["GOVUK_DEPLOY_BANK_HOLIDAY_FEED"],
            Description = "GOV.UK's bank-holiday feed, read by Update-BankHoliday.",
            Normalise = v => SettingValidators.HttpUrl(BankHolidayFeedUrl, v).TrimEnd('/'),
        },
        new()
        {
            Name = DeployWindowPolicies,
            EnvironmentVariables = ["GOVUK_DEPLOY_WINDOW_POLICIES"],
            Description = "Deploy hours per environment as JSON, overriding GOV.UK's defaults (integration always open; staging and production Mon-Thu 09:30-17:00, Fri 09:30-16:00, Europe/London, closed on England and Wales bank holidays).",
            Normalise = DeployWindowPolicyJson.Validate,
        },

        // After the deploy: Sentry, Icinga, the dashboard, and how long -Verify stays around.
        new()
        {
            Name = SentryUrl,
            EnvironmentVariables = ["GOVUK_DEPLOY_SENTRY_URL"],
            Description = "Sentry's address (its REST API is under /api/0/), such as https://sentry.io/; when set, Test-DeployHealth looks for new and regressed errors there.",
            Normalise = v => SettingValidators.HttpUrl(SentryUrl, v),
        },
        new()
        {
            Name = SentryOrganisation, Default = "govuk",
            EnvironmentVariables = ["GOVUK_DEPLOY_SENTRY_ORGANISATION"],
            Description = "The Sentry organisation's slug.",
            Normalise = v => SettingValidators.Slug(SentryOrganisation, v),
        },
        new()
        {
            Name = SentryProjects,
            EnvironmentVariables = ["GOVUK_DEPLOY_SENTRY_PROJECTS"],
            Description = "Sentry projects for applications whose project is not named after them, as 'application=project' pairs separated by commas.",
            Normalise = SettingValidators.SentryProjects,
        },
        new()
        {
            Name = SentryAuthToken, IsSecret = true,
            EnvironmentVariables = ["SENTRY_AUTH_TOKEN"],
            Description = "Sentry auth token with read access to issues (session only or from the environment; never saved).",
        },
        new()
        {
            Name = IcingaUrl,
            EnvironmentVariables = ["GOVUK_DEPLOY_ICINGA_URL"],
            Description = "Icinga 2's API address, such as https://alert.{environment}.example:5665/; '{environment}' in it is replaced by the environment's name.",
            Normalise = v => SettingValidators.HttpUrl(IcingaUrl, v, allowEnvironmentPlaceholder: true),
        },
        new()
        {
            Name = IcingaUser,
            EnvironmentVariables = ["ICINGA_USER"],
            Description = "The Icinga 2 API user.",
        },
        new()
        {
            Name = IcingaPassword, IsSecret = true,
            EnvironmentVariables = ["ICINGA_PASSWORD"],
            Description = "The Icinga 2 API user's password (session only or from the environment; never saved).",
        },
        new()
        {
            Name = IcingaServiceFilter, Default = "service.vars.app == app",
            EnvironmentVariables = ["GOVUK_DEPLOY_ICINGA_SERVICE_FILTER"],
            Description = "The Icinga 2 filter that selects an application's services. The application is passed in filter_vars, never pasted in: 'app' is its name, 'deploy_name' its deploy name, 'environment' the environment.",
            Normalise = SettingValidators.IcingaServiceFilter,
        },
        new()
        {
            Name = DashboardUrl,
            EnvironmentVariables = ["GOVUK_DEPLOY_DASHBOARD_URL"],
            Description = "The deployment dashboard's address for an application, with '{application}' and '{environment}' replaced; Test-DeployHealth shows it as a link to look at.",
            Normalise = SettingValidators.DashboardUrl,
        },
        new()
        {
            Name = VerifyForSeconds, Default = "600",
            EnvironmentVariables = ["GOVUK_DEPLOY_VERIFY_FOR"],
            Description = "How long (seconds) Invoke-Deploy -Verify keeps checking health after a deploy, when -VerifyFor is not given.",
            Normalise = v => SettingValidators.PositiveInteger(VerifyForSeconds, v, 86400),
        },
        new()
        {
            Name = VerifyIntervalSeconds, Default = "30",
            EnvironmentVariables = ["GOVUK_DEPLOY_VERIFY_INTERVAL"],
            Description = "How often (seconds) Invoke-Deploy -Verify checks health.",
            Normalise = v => SettingValidators.PositiveInteger(VerifyIntervalSeconds, v, 3600),
        },
        new()
        {
            Name = DeployLockRenewalSeconds, Default = "30",
            EnvironmentVariables = ["GOVUK_DEPLOY_LOCK_RENEWAL"],
            Description = "How often (seconds) a running deploy renews its deploy lock. A lock not renewed for twice this long belongs to a process that has died, and the next deploy takes it over.",
            Normalise = v => SettingValidators.PositiveInteger(DeployLockRenewalSeconds, v, 600),
        },
    ];

    public static SettingDefinition? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
}
