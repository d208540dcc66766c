using System.Globalization;
using GovukDeploy.Errors;
using GovukDeploy.GitHub;
using GovukDeploy.Health;
using GovukDeploy.Jenkins;
using GovukDeploy.Reporting;
using GovukDeploy.Store;
using NodaTime;

namespace GovukDeploy.Observed;

/// <summary>
/// Reads what really ran from each environment's Jenkins deploy job and records it in the store.
/// One request reads a page of builds with just the fields that matter; a sync reads only builds
/// newer than the last one it saw, and pages further back only for applications it has not yet
/// searched for. Environments are read side by side; one that fails leaves its previous view intact.
/// </summary>
public sealed class DeploymentObserver
{
    /// <summary>Jenkins gives its newest 100 builds as "builds"; a page is that size.</summary>
    public const int PageSize = 100;

    private readonly IDeployStore _store;
    private readonly JenkinsClientFactory _jenkins;
    private readonly IClock _clock;
    private readonly ObserverSettings _settings;

    public DeploymentObserver(IDeployStore store, JenkinsClientFactory jenkins, IClock clock, ObserverSettings settings)
    {
        _store = store;
        _jenkins = jenkins;
        _clock = clock;
        _settings = settings;
    }

    public ObserverSettings Settings => _settings;

    private string SourceKey(string environment) => $"jenkins:{environment.ToLowerInvariant()}:{_jenkins.For(environment).BaseUrl}";

    /// <summary>
    /// What the store knows, reading Jenkins again only where its view is older than the maximum age
    /// (or where an application of <paramref name="applications"/> has never been searched for).
    /// With <paramref name="offline"/>, never reads: environments are Known only while young enough.
    /// </summary>
    public async Task<SyncReport> EnsureFreshAsync(IReadOnlyList<Application> applications, bool offline, IOperationReporter? reporter, CancellationToken cancellationToken)
    {
        var states = await StatesAsync(cancellationToken).ConfigureAwait(false);
        var now = _clock.GetCurrentInstant().ToDateTimeOffset();
        var stale = _settings.Environments.Where(e => NeedsRead(states, e, applications, now)).ToList();
        if (offline || stale.Count == 0)
        {
            return new SyncReport
            {
                FromStore = true,
                Environments = _settings.Environments.Select(e =>
                {
                    var state = states.GetValueOrDefault(SourceKey(e));
                    var young = state is not null && !stale.Contains(e);
                    return new EnvironmentObservation
                    {
                        Environment = e,
                        Known = young,
                        SyncedAt = state?.SyncedAt,
                        Problem = young ? null : offline ? "-Offline: the store's view is older than DeploymentSyncMaxAge" : null,
                    };
                }).ToList(),
            };
        }

        return await SyncAsync(applications, stale, states, reporter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What each environment runs for these applications: the store's newest successful deploys (ours
    /// and observed) once the view is fresh, with, per environment, whether it could be learnt.
    /// </summary>
    public async Task<RunningView> RunningAsync(IReadOnlyList<Application> applications, bool offline, IOperationReporter? reporter, CancellationToken cancellationToken) =>
        await RunningFromStoreAsync(_store, applications, await EnsureFreshAsync(applications, offline, reporter, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The store's newest successful deploys of these applications, under an observation already made.</summary>
    public static async Task<RunningView> RunningFromStoreAsync(IDeployStore store, IReadOnlyList<Application> applications, SyncReport observation, CancellationToken cancellationToken)
    {
        // Many applications: one query for all is cheaper than a list of hundreds of names.
        var latest = await store.GetLatestSuccessfulDeploymentsAsync(applications.Count > 200 ? null : applications.Select(a => a.Name).ToList(), cancellationToken).ConfigureAwait(false);
        var byApplication = applications.ToDictionary(a => a.Name, _ => new Dictionary<string, Deployment>(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        foreach (var deployment in latest)
        {
            if (byApplication.TryGetValue(deployment.Application, out var running))
            {
                running[deployment.Environment] = deployment;
            }
        }

        return new RunningView
        {
            Observation = observation,
            ByApplication = byApplication.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, Deployment>)p.Value, StringComparer.OrdinalIgnoreCase),
        };
    }

    /// <summary>Reads every environment's Jenkins now, whatever the age of the store's view.</summary>
    public async Task<SyncReport> SyncAsync(IReadOnlyList<Application> applications, IOperationReporter? reporter, CancellationToken cancellationToken) =>
        await SyncAsync(applications, _settings.Environments, await StatesAsync(cancellationToken).ConfigureAwait(false), reporter, cancellationToken).ConfigureAwait(false);

    private async Task<Dictionary<string, SyncState>> StatesAsync(CancellationToken cancellationToken) =>
        (await _store.GetSyncStatesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.SourceKey, StringComparer.Ordinal);

    private bool NeedsRead(Dictionary<string, SyncState> states, string environment, IReadOnlyList<Application> applications, DateTimeOffset now)
    {
        if (!states.TryGetValue(SourceKey(environment), out var state))
        {
            return true;
        }

        // A sync stamped in the future (a skewed clock) counts as stale, never as forever fresh.
        var age = now - state.SyncedAt;
        return age < TimeSpan.Zero || age > _settings.MaxAge
            || applications.Any(a => !state.SearchedApplications.Contains(NamePattern.Key(a.Name)));
    }

    private async Task<SyncReport> SyncAsync(IReadOnlyList<Application> applications, IReadOnlyList<string> environments,
        Dictionary<string, SyncState> states, IOperationReporter? reporter, CancellationToken cancellationToken)
    {
        var catalogue = await _store.GetApplicationsAsync(new ApplicationQuery { IncludeRetired = true }, cancellationToken).ConfigureAwait(false);
        var byDeployName = DeployNameIndex(catalogue);
        var reads = environments.Select(e => ReadEnvironmentAsync(e, states.GetValueOrDefault(SourceKey(e)), applications, byDeployName, reporter, cancellationToken)).ToList();
        var results = await Task.WhenAll(reads).ConfigureAwait(false);
        var untouched = _settings.Environments.Except(environments, StringComparer.OrdinalIgnoreCase).Select(e => new EnvironmentObservation
        {
            Environment = e,
            Known = true,
            SyncedAt = states.GetValueOrDefault(SourceKey(e))?.SyncedAt,
        });
        return new SyncReport
        {
            Environments = results.Select(r => r.Observation).Concat(untouched)
                .OrderBy(o => _settings.Environments.ToList().FindIndex(e => e.Equals(o.Environment, StringComparison.OrdinalIgnoreCase))).ToList(),
            BuildsRead = results.Sum(r => r.Read),
            Added = results.Sum(r => r.Added),
            Updated = results.Sum(r => r.Updated),
            Skipped = results.Sum(r => r.Skipped),
        };
    }

    /// <summary>Jenkins knows applications by deploy name (TARGET_APPLICATION); the catalogue's name works too.</summary>
    private static Dictionary<string, Application> DeployNameIndex(IReadOnlyList<Application> catalogue)
    {
        var index = new Dictionary<string, Application>(StringComparer.OrdinalIgnoreCase);
        foreach (var application in catalogue.OrderBy(a => a.Retired))
        {
            index.TryAdd(application.DeployName, application);
        }

        foreach (var application in catalogue.OrderBy(a => a.Retired))
        {
            index.TryAdd(application.Name, application);
        }

        return index;
    }

    private sealed record EnvironmentRead(EnvironmentObservation Observation, int Read, int Added, int Updated, int Skipped);

    private async Task<EnvironmentRead> ReadEnvironmentAsync(string environment, SyncState? state, IReadOnlyList<Application> applications,
        Dictionary<string, Application> byDeployName, IOperationReporter? reporter, CancellationToken cancellationToken)
    {
        var client = _jenkins.For(environment);
        var unsearched = applications
            .Where(a => state is null || !state.SearchedApplications.Contains(NamePattern.Key(a.Name)))
            .Select(a => NamePattern.Key(a.Name)).ToHashSet(StringComparer.Ordinal);
        var seen = new List<JenkinsHistoryBuild>();
        try
        {
            for (var page = 0; ; page++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                reporter?.Verbose($"Reading {environment} Jenkins' {_settings.DeployJobName} history, builds {page * PageSize} to {(page + 1) * PageSize - 1} back.");
                var builds = await client.GetBuildHistoryAsync(_settings.DeployJobName, page * PageSize, (page + 1) * PageSize, cancellationToken).ConfigureAwait(false);
                seen.AddRange(builds);
                foreach (var build in builds)
                {
                    // Found means found running: a release that deployed, not a failure or a migration.
                    if (ToObserved(build, environment, byDeployName) is { ChangedWhatRuns: true } found)
                    {
                        unsearched.Remove(NamePattern.Key(found.Application));
                    }
                }

                var oldest = builds.Count == 0 ? 0 : builds.Min(b => b.Number);
                var newBuildsLeft = state is null ? unsearched.Count > 0 : oldest > state.LastNumber;
                var searchLeft = unsearched.Count > 0 && seen.Count < _settings.MaxBuilds;
                if (builds.Count < PageSize || oldest <= 1 || !(newBuildsLeft || searchLeft) || (state is null && seen.Count >= _settings.MaxBuilds))
                {
                    break;
                }
            }
        }
        catch (GovukDeployException e)
        {
            reporter?.Verbose($"Could not read {environment} Jenkins: {e.Message}");
            return new EnvironmentRead(new EnvironmentObservation
            {
                Environment = environment,
                Known = false,
                SyncedAt = state?.SyncedAt,
                Problem = $"{environment} Jenkins could not be read ({e.ErrorId}: {e.Message})",
            }, seen.Count, 0, 0, 0);
        }

        var observed = new List<ObservedDeployment>();
        var skipped = 0;
        foreach (var build in seen)
        {
            if (ToObserved(build, environment, byDeployName) is { } deployment)
            {
                observed.Add(deployment);
            }
            else
            {
                skipped++;
            }
        }

        if (skipped > 0)
        {
            reporter?.Verbose($"Skipped {skipped} of {seen.Count} {environment} {_settings.DeployJobName} build(s): no TARGET_APPLICATION or TAG, or an application not in the catalogue.");
        }

        // Builds still running are read again next time, so their end is seen.
        var running = seen.Where(b => b.Building).Select(b => (long)b.Number).DefaultIfEmpty(long.MaxValue).Min();
        var newest = seen.Select(b => (long)b.Number).DefaultIfEmpty(state?.LastNumber ?? 0).Max();
        var last = Math.Max(0, Math.Min(newest, running - 1));
        var result = await _store.RecordObservedAsync(new ObservedBatch
        {
            SourceKey = SourceKey(environment),
            Environment = environment,
            LastNumber = state is null ? last : Math.Max(Math.Min(state.LastNumber, running - 1), last),
            Deployments = observed,
            SearchedApplications = applications.Select(a => a.Name).ToList(),
        }, cancellationToken).ConfigureAwait(false);
        // Builds the last sync had not seen; a page also holds older ones, which cost nothing more to skip.
        var fresh = state is null ? seen.Count : seen.Count(b => b.Number > state.LastNumber);
        return new EnvironmentRead(new EnvironmentObservation
        {
            Environment = environment,
            Known = true,
            SyncedAt = _clock.GetCurrentInstant().ToDateTimeOffset(),
        }, fresh, result.Added, result.Updated, skipped);
    }

    /// <summary>A Deploy_App build as a deployment, or null when it cannot say what ran where.</summary>
    internal static ObservedDeployment? ToObserved(JenkinsHistoryBuild build, string environment, IReadOnlyDictionary<string, Application> byDeployName)
    {
        var target = build.Parameter("TARGET_APPLICATION")?.Trim();
        var tag = build.Parameter("TAG")?.Trim();
        // A TAG with control characters, or longer than any ref, is not something a deploy could have used.
        if (string.IsNullOrEmpty(target) || string.IsNullOrEmpty(tag) || tag.Length > 250 || tag.Any(char.IsControl) || !byDeployName.TryGetValue(target, out var application))
        {
            return null;
        }

        var task = UntrustedText.Clean(build.Parameter("DEPLOY_TASK"), MaxFieldLength).Trim();
        var pattern = ReleaseTagPattern.Parse(application.ReleaseTagPattern);
        // A TAG that is not a release (a branch deployed to try it) never counts for promotion.
        var isBranch = !pattern.IsRelease(tag);
        // While an application is confidential the shared store never learns a branch's name, whoever deployed it.
        var confidential = application.Confidential && build.Started >= (application.ConfidentialSince ?? DateTimeOffset.MinValue);
        return new ObservedDeployment
        {
            Application = application.Name,
            Environment = environment,
            Release = isBranch && application.Confidential ? Confidential.ConfidentialRedaction.WithheldBranch : tag,
            // A TAG that is not a release (a branch deployed to try it) never counts for promotion.
            IsBranchDeploy = isBranch,
            Confidential = confidential,
            Status = JenkinsResults.ToStatus(build.Building, build.Result),
            BuildUrl = build.Url,
            StartedAt = build.Started,
            FinishedAt = build.Finished,
            DeployedBy = DeployedBy(build),
            DeployTask = string.IsNullOrEmpty(task) ? DeployTasks.Deploy : task,
            Source = DeploymentSource.Jenkins,
        };
    }

    /// <summary>The person who started the build, or "CI" when another job did (GOV.UK's Integration deploys).</summary>
    /// <remarks>Jenkins' words are data: control characters go (no terminal escapes reach a table) and the length is bounded.</remarks>
    internal static string DeployedBy(JenkinsHistoryBuild build) =>
        !string.IsNullOrWhiteSpace(build.UserId) ? UntrustedText.Clean(build.UserId, MaxFieldLength).Trim()
        : !string.IsNullOrWhiteSpace(build.UserName) ? UntrustedText.Clean(build.UserName, MaxFieldLength).Trim()
        : build.UpstreamProject is not null ? "CI"
        : string.IsNullOrWhiteSpace(build.CauseDescription) ? "unknown" : UntrustedText.Clean(build.CauseDescription, MaxFieldLength).Trim();

    /// <summary>The longest who or task recorded from a build.</summary>
    private const int MaxFieldLength = 100;
}

/// <summary>The observer's configuration: which environments, which job, how fresh, how far back.</summary>
public sealed record ObserverSettings
{
    public IReadOnlyList<string> Environments { get; init; } = Configuration.EnvironmentPolicy.Default.Names;
    public string DeployJobName { get; init; } = "Deploy_App";
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(60);
    public int MaxBuilds { get; init; } = 1000;

    public static ObserverSettings FromConfiguration(Configuration.DeployConfiguration configuration) => new()
    {
        Environments = configuration.EnvironmentNames,
        DeployJobName = configuration.Require(Configuration.SettingCatalogue.DeployJobName),
        MaxAge = TimeSpan.FromSeconds(int.Parse(configuration.Require(Configuration.SettingCatalogue.DeploymentSyncMaxAge), CultureInfo.InvariantCulture)),
        MaxBuilds = int.Parse(configuration.Require(Configuration.SettingCatalogue.DeploymentSyncMaxBuilds), CultureInfo.InvariantCulture),
    };
}
