using System.Net;
using GovukDeploy.Catalogue;
using GovukDeploy.Configuration;
using GovukDeploy.Deploys;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.GitHub;
using GovukDeploy.Reporting;
using GovukDeploy.Holidays;
using GovukDeploy.Jenkins;
using GovukDeploy.Observed;
using GovukDeploy.Status;
using GovukDeploy.Store;
using GovukDeploy.DeployWindows;
using NodaTime;

namespace GovukDeploy.Session;

/// <summary>
/// The services a PowerShell process shares between cmdlet calls, built on first
/// use (never at import) and rebuilt when the settings they depend on change.
/// </summary>
public sealed partial class EngineServices
{
    private readonly object _gate = new();
    private (string? Policies, string CachePath, DateTime CacheStamp, DeployWindowService Service)? _windows;
    private (string Location, string? Password, IDeployStore Store)? _store;
    private (string ApiUrl, string? Token, int Throttle, GitHubConnection Connection)? _gitHub;
    private (string Url, string? Token, ReleaseAppClient Client, ReleaseAppFreezeCache Cache)? _releaseApp;
    private (string Key, JenkinsClientFactory Factory)? _jenkins;
    private (string ApiUrl, string? Token, string Actor)? _actor;
    private (IDeployStore Store, DeployWindowService Windows, string Settings, DeployService Service)? _deploys;

    public EngineServices(DeployConfiguration configuration, IClock clock)
    {
        Configuration = configuration;
        Clock = clock;
    }

    /// <summary>The services of this process, on the system clock.</summary>
    public static EngineServices Current { get; } = new(DeployConfiguration.Current, SystemClock.Instance);

    public DeployConfiguration Configuration { get; }
    public IClock Clock { get; }

    /// <summary>The clock's time as a plain DateTimeOffset, for the cmdlets (which never touch NodaTime themselves).</summary>
    public DateTimeOffset Now => Clock.GetCurrentInstant().ToDateTimeOffset();

    /// <summary>
    /// Who is making changes, for the audit log, freezes and deploys: resolved once per session (again only
    /// when the GitHub address or token changes), so that every entry a session writes names the same person.
    /// The token's GitHub login when a token is configured, else the operating system's user name.
    /// </summary>
    public string Actor => ResolveActorAsync(null, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// The release tags last listed from GitHub for an application (newest first), from this identity's
    /// cache folder: for tab completion, offline and at once. Empty when none were listed yet.
    /// </summary>
    public async Task<IReadOnlyList<string>> RememberedReleaseTagsAsync(string application, CancellationToken cancellationToken)
    {
        if (await Store.GetApplicationAsync(application, cancellationToken).ConfigureAwait(false) is not { } known)
        {
            return [];
        }
        var options = GitHubConnectionOptions.FromConfiguration(Configuration);
        if (options.CacheDirectory is not { Length: > 0 } root)
        {
            return [];
        }
        var token = string.IsNullOrEmpty(options.Token) ? null : options.Token;
        var folder = new DiskResponseCache(root, GitHubApiAddress.Normalise(options.ApiUrl), token).Directory;
        return ReleaseTagMemory.Recall(folder, known.Repository, ReleaseTagPattern.Parse(known.ReleaseTagPattern).Text);
    }

    /// <summary>
    /// Resolves <see cref="Actor"/> (once per session). A token whose login GitHub will not say is reported
    /// as a warning, and the session names the operating system's user from then on: a GitHub that cannot
    /// answer must never keep a freeze or an incident's rollback from being made.
    /// </summary>
    public async Task<string> ResolveActorAsync(IOperationReporter? reporter, CancellationToken cancellationToken)
    {
        var options = GitHubConnectionOptions.FromConfiguration(Configuration);
        lock (_gate)
        {
            if (_actor is { } known && known.ApiUrl == options.ApiUrl && known.Token == options.Token)
            {
                return known.Actor;
            }
        }

        var actor = Environment.UserName;
        if (options.Token is not null)
        {
            try
            {
                actor = await GitHub(reporter ?? NullReporter.Instance).GetCurrentLoginAsync(cancellationToken).ConfigureAwait(false) ?? actor;
            }
            catch (Errors.GovukDeployException e)
            {
                reporter?.Warning($"GitHub did not say whose the token is ({e.ErrorId}: {e.Message}); this session's audit entries name {actor}, the operating system's user.");
            }
        }

        lock (_gate)
        {
            // Two threads may resolve at once: the first answer stands.
            if (_actor is { } first && first.ApiUrl == options.ApiUrl && first.Token == options.Token)
            {
                return first.Actor;
            }

            _actor = (options.ApiUrl, options.Token, actor);
            return actor;
        }
    }

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
                // The store it replaces is closed, as the GitHub and Jenkins clients are.
                _store?.Store.DisposeAsync().AsTask().GetAwaiter().GetResult();
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

    /// <summary>Each environment's Jenkins for the configured address and credentials, made once per session.</summary>
    public JenkinsClientFactory Jenkins
    {
        get
        {
            var connection = JenkinsConnection.FromConfiguration(Configuration);
            var key = $"{connection.UrlTemplate}|{connection.User}|{connection.ApiToken?.Reveal()}";
            lock (_gate)
            {
                if (_jenkins is { } open && open.Key == key)
                {
                    return open.Factory;
                }

                _jenkins?.Factory.Dispose();
                // History reads retry briefly: a Jenkins that is down should make a view Unknown in a second or two, not after a minute of backoff.
                var factory = new JenkinsClientFactory(connection, new JenkinsClientOptions { MaxRetries = 2 });
                _jenkins = (key, factory);
                return factory;
            }
        }
    }

    /// <summary>
    /// Brings the store's view of what each environment runs up to date from Jenkins' deploy history
    /// where it is older than DeploymentSyncMaxAge (never, with <paramref name="offline"/>). An
    /// environment that cannot be read, or a Jenkins that is not configured, is Unknown, never empty.
    /// </summary>
    public async Task<SyncReport> ObserveAsync(IReadOnlyList<Application> applications, bool offline, IOperationReporter? reporter, CancellationToken cancellationToken,
        bool force = false)
    {
        var store = Store;
        DeploymentObserver observer;
        try
        {
            observer = new DeploymentObserver(store, Jenkins, Clock, ObserverSettings.FromConfiguration(Configuration));
        }
        catch (Errors.GovukDeployException e) when (e.ErrorId != "ConfigFileCorrupt")
        {
            return new SyncReport
            {
                Environments = Configuration.EnvironmentNames.Select(env => new EnvironmentObservation
                {
                    Environment = env,
                    Known = false,
                    Problem = $"Jenkins cannot be read ({e.ErrorId}: {e.Message})",
                }).ToList(),
            };
        }

        return force && !offline
            ? await observer.SyncAsync(applications, reporter, cancellationToken).ConfigureAwait(false)
            : await observer.EnsureFreshAsync(applications, offline, reporter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Up to this many applications, each one's deployed-to branches are read too and compared with Jenkins.</summary>
    public const int BranchCheckLimit = 5;

    /// <summary>
    /// What each environment runs for each application: the newest successful deploy the store knows
    /// once Jenkins' history has been read (see <see cref="ObserveAsync"/>). With a GitHub connection,
    /// the deployed-to-ENVIRONMENT branches are read as well, for a few applications or where Jenkins
    /// has no deploy: a branch elsewhere than Jenkins says is a disagreement, noted and never hidden,
    /// and a branch where Jenkins knows nothing says what runs.
    /// </summary>
    public async Task<RunningView> RunningAsync(IReadOnlyList<Application> applications, bool offline, GitHubConnection? gitHub,
        IOperationReporter? reporter, CancellationToken cancellationToken)
    {
        var observation = await ObserveAsync(applications, offline, reporter, cancellationToken).ConfigureAwait(false);
        var view = await DeploymentObserver.RunningFromStoreAsync(Store, applications, observation, cancellationToken).ConfigureAwait(false);
        var byApplication = view.ByApplication.ToDictionary(p => p.Key, p => p.Value.ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);

        var disagreements = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (gitHub is not null && !offline)
        {
            var environments = Configuration.EnvironmentNames;
            var toCheck = applications.Where(a => applications.Count <= BranchCheckLimit
                || environments.Any(e => observation.For(e).Known && !byApplication[a.Name].ContainsKey(e))).ToList();
            await foreach (var result in GitHubBatch.RunAsync(toCheck, gitHub.ThrottleLimit,
                (application, ct) => ReconcileBranchesAsync(application, byApplication[application.Name], observation, gitHub, reporter, ct),
                cancellationToken, reporter, "Reading deployed-to branches").ConfigureAwait(false))
            {
                if (result.Error is not null)
                {
                    disagreements[result.Application.Name] = [$"The deployed-to branches could not be read: {result.Error.Message}"];
                }
                else if (result.Value is { Count: > 0 } notes)
                {
                    disagreements[result.Application.Name] = notes;
                }
            }
        }

        return new RunningView
        {
            Observation = observation,
            ByApplication = byApplication.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, Deployment>)p.Value, StringComparer.OrdinalIgnoreCase),
            Disagreements = disagreements,
        };
    }

    /// <summary>Compares each deployed-to branch with what Jenkins says runs; fills in what Jenkins does not know.</summary>
    private async Task<IReadOnlyList<string>> ReconcileBranchesAsync(Application application, Dictionary<string, Deployment> running, SyncReport observation,
        GitHubConnection gitHub, IOperationReporter? reporter, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var branches = await gitHub.Refs.DeployedToBranchesAsync(application, reporter, cancellationToken).ConfigureAwait(false);
        foreach (var (environment, branchSha) in branches)
        {
            var configured = Configuration.EnvironmentNames.FirstOrDefault(e => e.Equals(environment, StringComparison.OrdinalIgnoreCase));
            if (configured is null || !observation.For(configured).Known)
            {
                // Jenkins could not be read there: a branch alone cannot say when it moved, so the environment stays unknown.
                continue;
            }

            if (running.TryGetValue(configured, out var deployment))
            {
                if (deployment.IsBranchDeploy && deployment.Sha is null)
                {
                    // A branch seen only in Jenkins: which commit it had then is not known, so there is nothing to compare.
                    continue;
                }

                var sha = deployment.Sha ?? await gitHub.Refs.CommitOfAsync(application, deployment.Release, reporter, cancellationToken).ConfigureAwait(false);
                if (!string.Equals(sha, branchSha, StringComparison.OrdinalIgnoreCase))
                {
                    notes.Add($"Disagreement in {configured}: {deployment.Source} says {deployment.Release} ({Short(sha)}) runs, but {GitHubRefs.DeployedToPrefix}{configured} points at {Short(branchSha)}.");
                }

                continue;
            }

            var tag = (await gitHub.Releases.ListReleaseTagShasAsync(application, reporter, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(t => string.Equals(t.Sha, branchSha, StringComparison.OrdinalIgnoreCase)).Tag;
            running[configured] = new Deployment
            {
                Application = application.Name,
                Environment = configured,
                Release = tag ?? branchSha,
                Sha = branchSha,
                Status = DeploymentStatus.Succeeded,
                DeployedBy = "unknown",
                Source = DeploymentSource.DeployedToBranch,
            };
        }

        return notes;
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    /// <summary>Which environments' latest successful (non-branch) deploy of each application is which tag.</summary>
    public static DeployedToLookup DeployedTo(RunningView running) => (application, tag) =>
        running.For(application.Name).Where(r => !r.Value.IsBranchDeploy && r.Value.Release == tag).Select(r => r.Key).ToArray();

    /// <summary>
    /// The commits between what the environment runs and the target release (default the latest);
    /// NeverDeployed when the environment has no successful deploy to compare with. What runs is
    /// observed first; when it cannot be (Jenkins unreadable), this fails with DeployedStateUnknown.
    /// </summary>
    public async Task<ChangeSet> UndeployedChangesAsync(Application application, string environment, string? release, GitHubConnection gitHub,
        IOperationReporter reporter, CancellationToken cancellationToken, bool offline = false)
    {
        await ResolveActorAsync(reporter, cancellationToken).ConfigureAwait(false);
        var view = await RunningAsync([application], offline, gitHub, reporter, cancellationToken).ConfigureAwait(false);
        var observation = view.Observation.For(environment);
        if (offline)
        {
            reporter.Warning($"-Offline: what {environment} runs is the store's view ({observation.Describe(Clock.GetCurrentInstant().ToDateTimeOffset())}).");
        }
        else if (!observation.Known)
        {
            throw DeployedStateUnknown(application, observation);
        }

        foreach (var note in view.DisagreementsFor(application.Name))
        {
            reporter.Warning(note);
        }

        var running = view.Get(application.Name, environment);
        return await gitHub.Changes.GetUndeployedAsync(application, environment, running?.Sha ?? running?.Release, release,
            reporter: reporter, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What an environment runs could not be learnt: refuse rather than guess.</summary>
    public Errors.GovukDeployException DeployedStateUnknown(Application application, EnvironmentObservation observation) =>
        Errors.ErrorCatalogue.DeployedStateUnknown(application.Name, observation.Environment, observation.Describe(Clock.GetCurrentInstant().ToDateTimeOffset()));

    /// <summary>
    /// Get-DeployStatus: per application, the latest release, what each environment runs (observed),
    /// its freezes (the store's and the Release app's) and one status word, each as it is ready.
    /// <paramref name="observed"/> hears how much could be learnt of what runs, before any result.
    /// </summary>
    public async IAsyncEnumerable<GitHubBatchResult<DeployStatus>> DeployStatusesAsync(IReadOnlyList<Application> applications, bool offline,
        IOperationReporter reporter, Action<SyncReport, bool>? observed, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var environments = Environments.Names;
        var gitHub = GitHub(reporter);
        // What runs is observed (Jenkins' history, deployed-to branches) before the releases are read.
        var running = await RunningAsync(applications, offline, gitHub, reporter, cancellationToken).ConfigureAwait(false);
        observed?.Invoke(running.Observation, offline);
        var unknown = environments.Where(e => !running.IsKnown(e)).ToList();

        // What is frozen: the one FreezeService query (store and Release app) that Get-DeployFreeze uses too.
        var inForce = await Freezes.InForceAsync(applications, cancellationToken: cancellationToken).ConfigureAwait(false);
        var frozen = inForce.ByApplication.ToDictionary(f => f.Application.Name, f =>
        {
            var names = f.All.SelectMany(freeze => freeze.Environment == DeployFreeze.Global ? environments : [freeze.Environment]).ToList();
            if (f.ReleaseAppUnknown is not null)
            {
                // Unknown is never shown as "not frozen".
                names.Add("unknown");
                reporter.Warning(f.ReleaseAppUnknown.Message);
            }
            return names;
        }, StringComparer.OrdinalIgnoreCase);

        await foreach (var result in GitHubBatch.RunAsync(applications, gitHub.ThrottleLimit,
            (application, ct) => gitHub.Releases.ListReleaseTagsAsync(application, reporter, ct), cancellationToken, reporter, "Reading release tags").ConfigureAwait(false))
        {
            if (result.Error is not null)
            {
                yield return new GitHubBatchResult<DeployStatus>(result.Application, null, result.Error);
                continue;
            }

            var runs = running.For(result.Application.Name);
            yield return new GitHubBatchResult<DeployStatus>(result.Application, DeployStatusCalculator.Calculate(result.Application.Name, result.Value ?? [],
                environments.Select(e => runs.GetValueOrDefault(e)?.Release).ToList(), frozen[result.Application.Name],
                unknown, result.Application, running.DisagreementsFor(result.Application.Name), Environments), null);
        }
    }

    /// <summary>The environment's configured name, or UnknownEnvironment listing the configured ones.</summary>
    public string RequireEnvironment(string environment) => Environments.Require(environment);

    public ApplicationService Applications => new(Store, () => Actor);

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
                _releaseApp = (url, token, client, new ReleaseAppFreezeCache());
                return client;
            }
        }
    }

    /// <summary>
    /// Deploys through each environment's Jenkins, with the gates, the store, the Release app and Slack as
    /// configured: built once per settings snapshot (and store), the one it replaces disposed.
    /// </summary>
    public DeployService Deploys
    {
        get
        {
            var store = Store;
            var windows = Windows;
            var settings = Configuration.Fingerprint();
            lock (_gate)
            {
                if (_deploys is { } built && ReferenceEquals(built.Store, store) && ReferenceEquals(built.Windows, windows) && built.Settings == settings)
                {
                    return built.Service;
                }

                _deploys?.Service.Dispose();
                var service = DeployService.FromConfiguration(Configuration, store, windows, Clock);
                _deploys = (store, windows, settings, service);
                return service;
            }
        }
    }

    /// <summary>
    /// Disposes every service built so far (the module is being removed): the store, the GitHub, Jenkins,
    /// Release app and health clients and the deploy service. The next use builds them again.
    /// </summary>
    public void DisposeServices()
    {
        lock (_gate)
        {
            _deploys?.Service.Dispose();
            _deploys = null;
            _gitHub?.Connection.Dispose();
            _gitHub = null;
            _jenkins?.Factory.Dispose();
            _jenkins = null;
            _releaseApp?.Client.Dispose();
            _releaseApp = null;
            _health?.Service.Dispose();
            _health = null;
            _windows = null;
            _actor = null;
            _store?.Store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _store = null;
        }
    }

    /// <summary>
    /// What the deploy gates ask GitHub: does the tag (or branch) exist, and which undeployed
    /// commits were written by someone other than the current user.
    /// </summary>
    public GateRequest GateRequestFor(DeployRequest deploy, GitHubConnection gitHub, IOperationReporter reporter)
    {
        RunningView? observed = null;
        return new GateRequest
        {
            Deploy = deploy,
            RefExists = (application, reference, cancellationToken) => deploy.IsBranchDeploy
                ? gitHub.Refs.BranchExistsAsync(application, reference, reporter, cancellationToken)
                : gitHub.Refs.TagExistsAsync(application, reference, reporter, cancellationToken),
            // Confidential deploys only: is the repository private, and which commit is the branch at.
            Visibility = (application, cancellationToken) => gitHub.Repositories.GetVisibilityAsync(application, reporter, cancellationToken),
            BranchHead = (application, branch, cancellationToken) => gitHub.Refs.BranchHeadAsync(application, branch, reporter, cancellationToken),
            Observe = async (application, cancellationToken) =>
            {
                observed = await RunningAsync([application], offline: false, gitHub, reporter, cancellationToken).ConfigureAwait(false);
                foreach (var note in observed.DisagreementsFor(application.Name))
                {
                    reporter.Warning(note);
                }

                return observed;
            },
            OtherPeoplesChanges = deploy.IsBranchDeploy ? null : async (application, cancellationToken) =>
            {
                await ResolveActorAsync(reporter, cancellationToken).ConfigureAwait(false);
                // The gates observe first; what runs here is what they saw.
                var running = observed?.Get(application.Name, deploy.Environment);
                var changes = await gitHub.Changes.GetUndeployedAsync(application, deploy.Environment, running?.Sha ?? running?.Release, deploy.Release,
                    reporter: reporter, cancellationToken: cancellationToken).ConfigureAwait(false);
                return changes.Changes.Where(c => c.IsOtherAuthor)
                    .Select(c => new UndeployedCommit(c.Sha, c.Author ?? "unknown", c.Message ?? "", c.PullRequest))
                    .ToList();
            },
        };
    }

    /// <summary>
    /// Freezes: the store's and the Release app's (its answers remembered for half a minute, for
    /// Get-DeployFreeze's listing only).
    /// </summary>
    public FreezeService Freezes
    {
        get
        {
            var releaseApp = ReleaseApp;
            lock (_gate)
            {
                return new(Store, Clock, () => Actor, Environments, releaseApp, releaseApp is null ? null : _releaseApp?.Cache);
            }
        }
    }

    /// <summary>The configured environments in promotion order, and what follows from it (see EnvironmentPolicy).</summary>
    public EnvironmentPolicy Environments => EnvironmentPolicy.FromConfiguration(Configuration);

    /// <summary>Follows merged changes through CI, their release tag, CI's deploy to the first environment and the smoke tests (Wait-Release).</summary>
    public Releases.ReleaseFollower ReleaseFollower(IOperationReporter reporter) =>
        new(GitHub(reporter), Jenkins, DeploySettings.FromConfiguration(Configuration), Clock);

    /// <summary>
    /// Wait-Release: follows the change, then reads Jenkins' deploy history into the store at once (as
    /// Sync-Deployment does), so that a deploy piped on sees CI's deploy in its promotion gate even when
    /// the store was read less than DeploymentSyncMaxAge ago, and returns the store's record of that deploy.
    /// A failed read is a warning: the release stands.
    /// </summary>
    public async Task<FollowedRelease> FollowReleaseAsync(Releases.ReleaseFollowRequest request, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var followed = await ReleaseFollower(reporter).FollowAsync(request, reporter, cancellationToken).ConfigureAwait(false);
        try
        {
            var report = await ObserveAsync([request.Application], offline: false, reporter, cancellationToken, force: true).ConfigureAwait(false);
            foreach (var environment in report.Environments.Where(e => !e.Known))
            {
                reporter.Warning($"{followed.Tag} got through, but {environment.Environment}'s deploy history could not be read into the store ({environment.Problem}); Sync-Deployment reads it again.");
            }

            // The store's record carries an Id, for Get-Deployment's and Wait-Deployment's pipelines.
            var deploy = followed.IntegrationDeploy;
            var recorded = (await Store.GetDeploymentsAsync(new DeploymentQuery { Applications = [request.Application.Name], Environment = deploy.Environment, Last = 20 },
                cancellationToken).ConfigureAwait(false)).FirstOrDefault(d => d.BuildUrl == deploy.BuildUrl);
            if (recorded is not null)
            {
                followed = followed.WithIntegrationDeploy(recorded);
            }
        }
        catch (Errors.GovukDeployException e)
        {
            reporter.Warning($"{followed.Tag} got through, but Jenkins' deploy history could not be read into the store ({e.ErrorId}: {e.Message}); Sync-Deployment reads it again.");
        }

        return followed;
    }

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
                if (_windows is { } built && built.Policies == policies && built.CachePath == cache.FilePath && built.CacheStamp == stamp
                    && built.Service.EnvironmentPolicy.Names.SequenceEqual(Configuration.EnvironmentNames))
                {
                    return built.Service;
                }

                var service = DeployWindowService.Create(Clock, DeployWindowPolicyJson.Parse(policies), cache, environments: Environments);
                _windows = (policies, cache.FilePath, stamp, service);
                return service;
            }
        }
    }
}
