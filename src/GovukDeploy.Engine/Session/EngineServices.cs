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

    /// <summary>Which environments' latest successful (non-branch) deploy of each application is which tag.</summary>
    public async Task<DeployedToLookup> DeployedToAsync(IReadOnlyList<Application> applications, CancellationToken cancellationToken)
    {
        var byApplication = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var application in applications)
        {
            var running = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var environment in Configuration.EnvironmentNames)
            {
                var deployment = await Store.GetLatestSuccessfulDeploymentAsync(application.Name, environment, cancellationToken).ConfigureAwait(false);
                if (deployment is { IsBranchDeploy: false })
                {
                    running[environment] = deployment.Release;
                }
            }

            byApplication[application.Name] = running;
        }

        return (application, tag) => byApplication.TryGetValue(application.Name, out var running)
            ? running.Where(r => r.Value == tag).Select(r => r.Key).ToArray()
            : [];
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

    /// <summary>
    /// The Release app's deploy_freeze flag for an application, as a freeze (Source ReleaseApp,
    /// for every environment); null when it is not frozen there or no Release app is configured.
    /// An answer the Release app could not give is FreezeStatusUnknown, never "not frozen".
    /// </summary>
    public async Task<DeployFreeze?> ReleaseAppFreezeAsync(Application application, CancellationToken cancellationToken)
    {
        using var releaseApp = ReleaseAppClient.FromConfiguration(Configuration);
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
            await ResolveGitHubLoginAsync(gitHub, cancellationToken).ConfigureAwait(false);
            var running = await Store.GetLatestSuccessfulDeploymentAsync(application.Name, deploy.Environment, cancellationToken).ConfigureAwait(false);
            if (running is null)
            {
                // Nothing deployed there yet: there is no one else's change to ask about.
                return [];
            }

            var changes = await gitHub.Changes.GetUndeployedAsync(application, deploy.Environment, running.Sha ?? running.Release, deploy.Release,
                reporter: reporter, cancellationToken: cancellationToken).ConfigureAwait(false);
            return changes.Changes.Where(c => c.IsOtherAuthor)
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
