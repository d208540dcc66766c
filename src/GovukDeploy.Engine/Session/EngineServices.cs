using System.Net;
using GovukDeploy.Catalogue;
using GovukDeploy.Configuration;
using GovukDeploy.Deploys;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.GitHub;
using GovukDeploy.Reporting;
using GovukDeploy.Holidays;
using GovukDeploy.Store;
using GovukDeploy.Windows;
using NodaTime;

namespace GovukDeploy.Session;

/// <summary>
/// The services a PowerShell process shares between cmdlet calls, built on first
/// use (never at import) and rebuilt when the settings they depend on change.
/// </summary>
public sealed class EngineServices
{
    private readonly object _gate = new();
    private (string? Policies, string CachePath, DateTime CacheStamp, DeployWindowService Service)? _windows;
    private (string Location, string? Password, IDeployStore Store)? _store;
    private (string ApiUrl, string? Token, int Throttle, GitHubConnection Connection)? _gitHub;
    private (string Url, string? Token, ReleaseAppClient Client)? _releaseApp;

    public EngineServices(DeployConfiguration configuration, IClock clock)
    {
        Configuration = configuration;
        Clock = clock;
    }

    /// <summary>The services of this process, on the system clock.</summary>
    public static EngineServices Current { get; } = new(DeployConfiguration.Current, SystemClock.Instance);

    public DeployConfiguration Configuration { get; }
    public IClock Clock { get; }

    /// <summary>
    /// Who is making changes, for the audit log and freezes: the GitHub login once it is
    /// known, else the operating system's user name.
    /// </summary>
    public string Actor => GitHubLogin ?? Environment.UserName;

    /// <summary>Set once the GitHub connection has read the current user's login.</summary>
    public string? GitHubLogin { get; set; }

    /// <summary>The configured store, opened on first use; a new one when the Store setting changes.</summary>
    public IDeployStore Store
    {
        get
        {
            var location = Configuration.Require(SettingCatalogue.Store);
            var password = Configuration.GetSecret(SettingCatalogue.StorePassword)?.Reveal();
            lock (_gate)
            {
                if (_store is { } open && open.Location == location && open.Password == password)
                {
                    return open.Store;
                }

                var credential = password is null ? null : new NetworkCredential(string.Empty, password);
                var store = DeployStoreFactory.Open(location, credential, Clock);
                _store = (location, password, store);
                return store;
            }
        }
    }

    /// <summary>
    /// The GitHub connection for the configured address and token, made once per session (so the
    /// anonymous-limit warning is given once) and again when either changes.
    /// </summary>
    public GitHubConnection GitHub(IOperationReporter reporter)
    {
        var options = GitHubConnectionOptions.FromConfiguration(Configuration);
        lock (_gate)
        {
            if (_gitHub is { } open && open.ApiUrl == options.ApiUrl && open.Token == options.Token && open.Throttle == options.ThrottleLimit)
            {
                return open.Connection;
            }

            _gitHub?.Connection.Dispose();
            var connection = GitHubConnection.Create(options, reporter);
            _gitHub = (options.ApiUrl, options.Token, options.ThrottleLimit, connection);
            return connection;
        }
    }

    /// <summary>Reads the token's GitHub login once, so that the audit log and "other people's changes" name the real person.</summary>
    public async Task<string?> ResolveGitHubLoginAsync(GitHubConnection connection, CancellationToken cancellationToken)
    {
        var login = await connection.GetCurrentLoginAsync(cancellationToken).ConfigureAwait(false);
        if (login is not null)
        {
            GitHubLogin = login;
        }

        return login;
    }

    /// <summary>Each application's latest successful deploy to each configured environment (absent when there is none).</summary>
    public async Task<Dictionary<string, Dictionary<string, Deployment>>> RunningAsync(IReadOnlyList<Application> applications, CancellationToken cancellationToken)
    {
        var byApplication = new Dictionary<string, Dictionary<string, Deployment>>(StringComparer.OrdinalIgnoreCase);
        foreach (var application in applications)
        {
            var running = new Dictionary<string, Deployment>(StringComparer.OrdinalIgnoreCase);
            foreach (var environment in Configuration.EnvironmentNames)
            {
                if (await Store.GetLatestSuccessfulDeploymentAsync(application.Name, environment, cancellationToken).ConfigureAwait(false) is { } deployment)
                {
                    running[environment] = deployment;
                }
            }

            byApplication[application.Name] = running;
        }

        return byApplication;
    }

    /// <summary>Which environments' latest successful (non-branch) deploy of each application is which tag.</summary>
    public async Task<DeployedToLookup> DeployedToAsync(IReadOnlyList<Application> applications, CancellationToken cancellationToken)
    {
        var running = await RunningAsync(applications, cancellationToken).ConfigureAwait(false);
        return (application, tag) => running.TryGetValue(application.Name, out var byEnvironment)
            ? byEnvironment.Where(r => !r.Value.IsBranchDeploy && r.Value.Release == tag).Select(r => r.Key).ToArray()
            : [];
    }

    /// <summary>
    /// The commits between what the environment runs and the target release (default the latest);
    /// NeverDeployed when the environment has no successful deploy to compare with.
    /// </summary>
    public async Task<ChangeSet> UndeployedChangesAsync(Application application, string environment, string? release, GitHubConnection gitHub,
        IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await ResolveGitHubLoginAsync(gitHub, cancellationToken).ConfigureAwait(false);
        var running = await Store.GetLatestSuccessfulDeploymentAsync(application.Name, environment, cancellationToken).ConfigureAwait(false);
        return await gitHub.Changes.GetUndeployedAsync(application, environment, running?.Sha ?? running?.Release, release,
            reporter: reporter, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The environment's configured name, or UnknownEnvironment listing the configured ones.</summary>
    public string RequireEnvironment(string environment)
    {
        var known = Configuration.EnvironmentNames;
        return known.FirstOrDefault(e => e.Equals(environment?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new Errors.GovukDeployException("UnknownEnvironment", Errors.ErrorKind.InvalidArgument,
                $"'{environment}' is not a configured environment. Use one of: {string.Join(", ", known)} (the Environments setting lists them in promotion order).",
                environment);
    }

    public ApplicationService Applications => new(Store, Actor);

    /// <summary>The Release app's client for the configured address and token, made once per session; null when none is configured.</summary>
    private ReleaseAppClient? ReleaseApp
    {
        get
        {
            var url = Configuration.Get(SettingCatalogue.ReleaseAppUrl);
            var token = Configuration.GetSecret(SettingCatalogue.ReleaseAppToken)?.Reveal();
            lock (_gate)
            {
                if (url is null)
                {
                    return null;
                }

                if (_releaseApp is { } open && open.Url == url && open.Token == token)
                {
                    return open.Client;
                }

                _releaseApp?.Client.Dispose();
                var client = ReleaseAppClient.FromConfiguration(Configuration)!;
                _releaseApp = (url, token, client);
                return client;
            }
        }
    }

    /// <summary>
    /// The Release app's deploy_freeze flag for an application, as a freeze (Source ReleaseApp,
    /// for every environment); null when it is not frozen there or no Release app is configured.
    /// An answer the Release app could not give is FreezeStatusUnknown, never "not frozen".
    /// </summary>
    public async Task<DeployFreeze?> ReleaseAppFreezeAsync(Application application, CancellationToken cancellationToken)
    {
        var releaseApp = ReleaseApp;
        if (releaseApp is null)
        {
            return null;
        }

        var answer = await releaseApp.GetFreezeAsync(application, DeployFreeze.Global, cancellationToken).ConfigureAwait(false);
        return answer.Frozen switch
        {
            true => new DeployFreeze
            {
                Application = application.Name,
                Environment = DeployFreeze.Global,
                Reason = answer.Detail,
                Contact = "the Release app's note on " + application.Name,
                SetBy = "Release app",
                SetAt = Clock.GetCurrentInstant().ToDateTimeOffset(),
                Source = FreezeSource.ReleaseApp,
            },
            false => null,
            null => throw new Errors.GovukDeployException("FreezeStatusUnknown", Errors.ErrorKind.ResourceUnavailable,
                $"Whether {application.Name} is frozen is unknown: {answer.Detail} Treat it as frozen until the Release app answers, or check the application's note there.",
                application.Name),
        };
    }

    /// <summary>Deploys through each environment's Jenkins, with the gates, the store, the Release app and Slack as configured.</summary>
    public DeployService Deploys => DeployService.FromConfiguration(Configuration, Store, Windows, Clock);

    /// <summary>
    /// What the deploy gates ask GitHub: does the tag (or branch) exist, and which undeployed
    /// commits were written by someone other than the current user.
    /// </summary>
    public GateRequest GateRequestFor(DeployRequest deploy, GitHubConnection gitHub, IOperationReporter reporter) => new()
    {
        Deploy = deploy,
        RefExists = (application, reference, cancellationToken) => deploy.IsBranchDeploy
            ? gitHub.Refs.BranchExistsAsync(application, reference, reporter, cancellationToken)
            : gitHub.Refs.TagExistsAsync(application, reference, reporter, cancellationToken),
        OtherPeoplesChanges = deploy.IsBranchDeploy ? null : async (application, cancellationToken) =>
        {
            var changes = await UndeployedChangesAsync(application, deploy.Environment, deploy.Release, gitHub, reporter, cancellationToken).ConfigureAwait(false);
            // Nothing deployed there yet: there is no one else's change to ask about.
            return changes.NeverDeployed
                ? []
                : changes.Changes.Where(c => c.IsOtherAuthor)
                    .Select(c => new UndeployedCommit(c.Sha, c.Author ?? "unknown", c.Message ?? "", c.PullRequest))
                    .ToList();
        },
    };

    public FreezeService Freezes => new(Store, Clock, Actor, Configuration.EnvironmentNames);

    /// <summary>Deploy windows under the configured policies and the freshest holiday calendar on disk.</summary>
    public DeployWindowService Windows
    {
        get
        {
            var policies = Configuration.Get(SettingCatalogue.DeployWindowPolicies);
            var cache = new BankHolidayCache();
            var stamp = File.Exists(cache.FilePath) ? File.GetLastWriteTimeUtc(cache.FilePath) : DateTime.MinValue;
            lock (_gate)
            {
                if (_windows is { } built && built.Policies == policies && built.CachePath == cache.FilePath && built.CacheStamp == stamp)
                {
                    return built.Service;
                }

                var service = DeployWindowService.Create(Clock, DeployWindowPolicyJson.Parse(policies), cache);
                _windows = (policies, cache.FilePath, stamp, service);
                return service;
            }
        }
    }
}
