using System.Globalization;
using GovukDeploy.Deploys;
using GovukDeploy.GitHub;
using GovukDeploy.Jenkins;
using GovukDeploy.Reporting;
using NodaTime;

namespace GovukDeploy.Releases;

/// <summary>What to follow: a merged pull request, or a commit on the default branch.</summary>
public sealed record ReleaseFollowRequest
{
    public required Application Application { get; init; }

    /// <summary>The pull request whose merge commit is followed.</summary>
    public int? PullRequest { get; init; }

    /// <summary>The commit to follow (full or abbreviated); with PullRequest, it is expected to be the merge commit.</summary>
    public string? Sha { get; init; }

    public TimeSpan Timeout { get; init; } = ReleaseFollower.DefaultTimeout;
}

/// <summary>How patiently Wait-Release polls. Tests shorten the interval or replace the delay to move a fake clock.</summary>
public sealed record ReleaseFollowerOptions
{
    /// <summary>The pause between two looks at GitHub or Jenkins.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How a pause is taken; it must honour the token.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>How many of a job's newest builds are searched for CI's deploy and its smoke tests (one page).</summary>
    public int HistoryDepth { get; init; } = 100;
}

/// <summary>
/// GOV.UK's automatic half of the pipeline, followed from outside: CI on the default branch for a
/// merged commit, the first release_N tag that contains it, the Deploy_App build that CI started on
/// the first environment's Jenkins (Integration) with that tag, and the Smokey build that deploy
/// started. It only reads, and can be run again at any time: stages already over are recognised
/// from GitHub and Jenkins as they are.
/// </summary>
public sealed class ReleaseFollower
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    private static int _nextActivityId = 8000;

    private readonly GitHubConnection _gitHub;
    private readonly JenkinsClientFactory _jenkins;
    private readonly DeploySettings _settings;
    private readonly IClock _clock;
    private readonly ReleaseFollowerOptions _options;

    public ReleaseFollower(GitHubConnection gitHub, JenkinsClientFactory jenkins, DeploySettings settings, IClock clock, ReleaseFollowerOptions? options = null)
    {
        _gitHub = gitHub;
        _jenkins = jenkins;
        _settings = settings;
        _clock = clock;
        _options = options ?? new ReleaseFollowerOptions();
    }

    public async Task<FollowedRelease> FollowAsync(ReleaseFollowRequest request, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var application = request.Application;
        var given = string.IsNullOrWhiteSpace(request.Sha) ? null : request.Sha.Trim();
        if (request.PullRequest is null && given is null)
        {
            throw new ArgumentException("Give a pull request or a commit to follow.", nameof(request));
        }

        if (given is not null && !IsSha(given))
        {
            throw Errors.ErrorCatalogue.InvalidSha(given);
        }

        var deadline = _clock.GetCurrentInstant() + Duration.FromTimeSpan(request.Timeout);
        var commits = new GitHubCommits(_gitHub);
        var sha = await CommitToFollowAsync(commits, application, request.PullRequest, given, reporter, cancellationToken).ConfigureAwait(false);
        var branch = await commits.DefaultBranchAsync(application, reporter, cancellationToken).ConfigureAwait(false);
        if (!await commits.ContainsAsync(application, sha, branch, reporter, cancellationToken).ConfigureAwait(false))
        {
            throw Errors.ErrorCatalogue.CommitNotOnDefaultBranch(application, sha, branch);
        }

        var pullRequest = request.PullRequest ?? await MergingPullRequestAsync(commits, application, sha, reporter, cancellationToken).ConfigureAwait(false);
        var environment = _settings.Environments[0];
        var context = new FollowContext(application, sha, branch, environment, request.Timeout, deadline,
            new Bars(reporter, application, sha, pullRequest, branch, environment), reporter, cancellationToken);
        try
        {
            var (ciUrl, containing) = await WaitForCiAsync(context, commits).ConfigureAwait(false);
            var release = await WaitForReleaseAsync(context, commits, containing).ConfigureAwait(false);
            var jenkins = _jenkins.For(environment);
            var (deployEntry, deployBuild) = await WaitForDeployAsync(context, jenkins, release).ConfigureAwait(false);
            var deployment = new Deployment
            {
                Application = application.Name,
                Environment = environment,
                Release = release.Tag,
                Sha = release.Sha,
                Status = JenkinsResults.ToStatus(building: false, deployBuild.Result),
                BuildUrl = deployBuild.Url,
                StartedAt = deployBuild.Started,
                FinishedAt = deployBuild.Finished,
                DeployedBy = "CI",
                Source = DeploymentSource.Jenkins,
                DeployTask = deployEntry.Parameter("DEPLOY_TASK") is { Length: > 0 } task ? task.Trim() : DeployTasks.Deploy,
            };
            if (deployment.Status != DeploymentStatus.Succeeded)
            {
                throw Errors.ErrorCatalogue.ReleaseDeployFailed(deployment);
            }

            context.Bars.Done(ReleaseStage.IntegrationDeploy, $"#{deployBuild.Number} succeeded");
            var smoke = await WaitForSmokeTestAsync(context, jenkins, deployBuild).ConfigureAwait(false);
            if (!smoke.Passed)
            {
                throw Errors.ErrorCatalogue.ReleaseSmokeTestFailed(smoke, release.Tag);
            }

            context.Bars.Done(ReleaseStage.SmokeTest, "Passed");
            return new FollowedRelease
            {
                Application = application.Name,
                Tag = release.Tag,
                Number = release.Number,
                Sha = release.Sha,
                Date = release.Date,
                Author = release.Author,
                Message = release.Message,
                DeployedTo = await StillRunsAsync(context, jenkins, release.Tag, deployBuild.Number).ConfigureAwait(false) ? [environment] : [],
                Commit = sha,
                PullRequest = pullRequest,
                DefaultBranch = branch,
                CiUrl = ciUrl,
                IntegrationDeploy = deployment,
                SmokeTest = smoke,
            };
        }
        finally
        {
            context.Bars.CompleteAll();
        }
    }

    /// <summary>The merge commit of the pull request (PullRequestNotMerged while it is not merged), or the commit given.</summary>
    private static async Task<string> CommitToFollowAsync(GitHubCommits commits, Application application, int? pullRequest, string? given,
        IOperationReporter reporter, CancellationToken cancellationToken)
    {
        if (pullRequest is not { } number)
        {
            return await commits.ResolveCommitAsync(application, given!, reporter, cancellationToken).ConfigureAwait(false);
        }

        var merged = await commits.GetMergedPullRequestAsync(application, number, reporter, cancellationToken).ConfigureAwait(false);
        if (given is null || merged.MergeCommitSha.StartsWith(given, StringComparison.OrdinalIgnoreCase))
        {
            return merged.MergeCommitSha;
        }

        // Both were given and disagree: the commit named is what the caller asked about.
        var resolved = await commits.ResolveCommitAsync(application, given, reporter, cancellationToken).ConfigureAwait(false);
        reporter.Warning($"{Short(resolved)} is not the merge commit of {application.Name} #{number} ({Short(merged.MergeCommitSha)}); following {Short(resolved)}, as -Sha asks.");
        return resolved;
    }

    /// <summary>For a commit given alone, the pull request that merged it, to say which change this is; null when none did or GitHub cannot say.</summary>
    private static async Task<int?> MergingPullRequestAsync(GitHubCommits commits, Application application, string sha, IOperationReporter reporter,
        CancellationToken cancellationToken)
    {
        try
        {
            return await commits.FindMergingPullRequestAsync(application, sha, reporter, cancellationToken).ConfigureAwait(false);
        }
        catch (Errors.GovukDeployException e)
        {
            // Only the output's PullRequest depends on it; the wait itself does not.
            reporter.Verbose($"Could not learn which pull request merged {Short(sha)}: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Stage 1: CI's signals on the commit. When CI has not reported on it, a release that already
    /// contains it (CI built a later commit instead) counts as CI having passed.
    /// </summary>
    private async Task<(string? CiUrl, ReleaseTag? Containing)> WaitForCiAsync(FollowContext context, GitHubCommits commits)
    {
        var (application, sha) = (context.Application, context.Sha);
        context.Bars.Report(ReleaseStage.Ci, $"Reading CI's status of {Short(sha)}");
        while (true)
        {
            var ci = await commits.GetCiAsync(application, sha, context.Reporter, context.Cancellation).ConfigureAwait(false);
            if (Finished(context, ci) is { } passed)
            {
                return passed;
            }

            var containing = await commits.FindFirstReleaseContainingAsync(application, sha, context.Reporter, context.Cancellation).ConfigureAwait(false);
            if (containing is not null)
            {
                // CI may have finished on this very commit (and tagged it) between the two reads: ask once more,
                // so that its own result and URL are reported rather than "a later commit".
                if (Finished(context, await commits.GetCiAsync(application, sha, context.Reporter, context.Cancellation).ConfigureAwait(false)) is { } justPassed)
                {
                    return justPassed;
                }

                context.Reporter.Information($"CI has not reported on {Short(sha)} itself, but {containing.Tag} contains it, so CI passed on a later commit.");
                context.Bars.Done(ReleaseStage.Ci, "Passed on a later commit");
                return (null, containing);
            }

            var running = ci.Checks.Where(c => c.State == CiState.Pending).Select(c => c.Name).ToList();
            var seen = running.Count == 0
                ? $"no CI has reported on {Short(sha)} yet"
                : $"CI is still running on {Short(sha)} ({string.Join(", ", running)})";
            context.Bars.Report(ReleaseStage.Ci, seen);
            await PauseAsync(context, ReleaseStage.Ci, seen).ConfigureAwait(false);
        }
    }

    /// <summary>CI's end on the commit: its URL when it passed, CiFailed when it failed, null while it has not finished.</summary>
    private static (string? CiUrl, ReleaseTag? Containing)? Finished(FollowContext context, CommitCi ci)
    {
        if (ci.State == CiState.Failure)
        {
            throw Errors.ErrorCatalogue.ReleaseCiFailed(context.Application, context.Sha, context.Branch, ci.Checks.First(c => c.State == CiState.Failure));
        }

        if (ci.State != CiState.Success)
        {
            return null;
        }

        var url = ci.Checks.FirstOrDefault(c => c.Kind == CheckKind.Status && c.Url is not null)?.Url ?? ci.Checks.FirstOrDefault(c => c.Url is not null)?.Url;
        context.Reporter.Information($"CI on {context.Branch} passed for {Short(context.Sha)}" + (url is null ? "." : $": {url}"));
        context.Bars.Done(ReleaseStage.Ci, "Passed");
        return (url, null);
    }

    /// <summary>Stage 2: the lowest-numbered release tag that contains the commit, read as Get-Release reads it.</summary>
    private async Task<Release> WaitForReleaseAsync(FollowContext context, GitHubCommits commits, ReleaseTag? known)
    {
        var (application, sha) = (context.Application, context.Sha);
        var tag = known;
        while (tag is null)
        {
            context.Bars.Report(ReleaseStage.ReleaseTag, $"Looking for a release that contains {Short(sha)}");
            tag = await commits.FindFirstReleaseContainingAsync(application, sha, context.Reporter, context.Cancellation).ConfigureAwait(false);
            if (tag is null)
            {
                var seen = $"CI passed on {context.Branch}, but no {ReleaseTagPattern.Parse(application.ReleaseTagPattern)} tag contains {Short(sha)} yet";
                context.Bars.Report(ReleaseStage.ReleaseTag, seen);
                await PauseAsync(context, ReleaseStage.ReleaseTag, seen).ConfigureAwait(false);
            }
        }

        var release = (await _gitHub.Releases.GetAsync(application, tag: tag.Tag, reporter: context.Reporter, cancellationToken: context.Cancellation).ConfigureAwait(false)).Single();
        context.Reporter.Information($"Released as {release.Tag} ({Short(release.Sha)})" +
            (string.Equals(release.Sha, sha, StringComparison.OrdinalIgnoreCase) ? "." : $", which contains {Short(sha)}."));
        context.Bars.Done(ReleaseStage.ReleaseTag, release.Tag);
        return release;
    }

    /// <summary>Stage 3: the Deploy_App build that CI (an upstream job) started with TAG = the release, followed to its end.</summary>
    private async Task<(JenkinsHistoryBuild Entry, JenkinsBuildInfo Build)> WaitForDeployAsync(FollowContext context, JenkinsClient jenkins, Release release)
    {
        var job = _settings.DeployJobName;
        while (true)
        {
            context.Bars.Report(ReleaseStage.IntegrationDeploy, $"Looking for CI's {job} build of {release.Tag}");
            var page = await jenkins.GetBuildHistoryAsync(job, 0, _options.HistoryDepth, context.Cancellation).ConfigureAwait(false);
            // The first such build is CI's; later ones with the same tag are people deploying it again.
            var entry = page.Where(b => b.UpstreamProject is not null && IsDeployOf(b, context.Application) && b.Parameter("TAG")?.Trim() == release.Tag
                    && DeployTasks.ChangesWhatRuns(b.Parameter("DEPLOY_TASK")))
                .MinBy(b => b.Number);
            if (entry is not null)
            {
                context.Reporter.Information($"CI's {context.Environment} deploy of {release.Tag}: {entry.Url}");
                var build = await FollowBuildAsync(context, jenkins, ReleaseStage.IntegrationDeploy, $"{job} #{entry.Number}", entry.Url).ConfigureAwait(false);
                return (entry, build);
            }

            var seen = $"CI has not started {job} with TAG={release.Tag} for {context.Application.DeployName} on the {context.Environment} Jenkins " +
                $"(it is not among the job's newest {_options.HistoryDepth} builds)";
            context.Bars.Report(ReleaseStage.IntegrationDeploy, seen);
            await PauseAsync(context, ReleaseStage.IntegrationDeploy, seen).ConfigureAwait(false);
        }
    }

    /// <summary>Stage 4: the Smokey build whose upstream cause is the deploy, followed to its end.</summary>
    private async Task<SmokeTestResult> WaitForSmokeTestAsync(FollowContext context, JenkinsClient jenkins, JenkinsBuildInfo deploy)
    {
        var job = _settings.SmokeTestJobName;
        var deployJob = JobName(_settings.DeployJobName);
        while (true)
        {
            context.Bars.Report(ReleaseStage.SmokeTest, $"Looking for the {job} build that {_settings.DeployJobName} #{deploy.Number} started");
            var page = await jenkins.GetBuildHistoryAsync(job, 0, _options.HistoryDepth, context.Cancellation).ConfigureAwait(false);
            var entry = page.Where(b => b.UpstreamBuild == deploy.Number && string.Equals(JobName(b.UpstreamProject), deployJob, StringComparison.OrdinalIgnoreCase))
                .MinBy(b => b.Number);
            if (entry is not null)
            {
                context.Reporter.Information($"Smoke tests after {_settings.DeployJobName} #{deploy.Number}: {entry.Url}");
                var build = await FollowBuildAsync(context, jenkins, ReleaseStage.SmokeTest, $"{job} #{entry.Number}", entry.Url).ConfigureAwait(false);
                return new SmokeTestResult
                {
                    Application = context.Application.Name,
                    Environment = context.Environment,
                    Result = build.Result == "SUCCESS" ? SmokeTestResult.PassedResult : SmokeTestResult.FailedResult,
                    BuildUrl = build.Url,
                    StartedAt = build.Started,
                    Duration = build.Duration,
                };
            }

            var seen = $"{job} has not started after {_settings.DeployJobName} #{deploy.Number} (no build of it names that deploy as its upstream cause)";
            context.Bars.Report(ReleaseStage.SmokeTest, seen);
            await PauseAsync(context, ReleaseStage.SmokeTest, seen).ConfigureAwait(false);
        }
    }

    /// <summary>Polls a build until Jenkins says how it ended, with a percentage from its estimate.</summary>
    private async Task<JenkinsBuildInfo> FollowBuildAsync(FollowContext context, JenkinsClient jenkins, ReleaseStage stage, string label, string url)
    {
        while (true)
        {
            var build = await jenkins.GetBuildAsync(url, context.Cancellation).ConfigureAwait(false);
            if (!build.Building && build.Result is not null)
            {
                return build;
            }

            var percent = -1;
            if (build.EstimatedDuration > TimeSpan.Zero)
            {
                var elapsed = _clock.GetCurrentInstant().ToDateTimeOffset() - build.Started;
                percent = (int)Math.Clamp(elapsed / build.EstimatedDuration * 100, 0, 99);
            }

            context.Bars.Report(stage, $"{label} running", percent);
            await PauseAsync(context, stage, $"{label} is still running ({build.Url})").ConfigureAwait(false);
        }
    }

    /// <summary>Whether the environment still runs the release: no newer successful deploy of the application replaced it.</summary>
    private async Task<bool> StillRunsAsync(FollowContext context, JenkinsClient jenkins, string tag, int deployNumber)
    {
        var page = await jenkins.GetBuildHistoryAsync(_settings.DeployJobName, 0, _options.HistoryDepth, context.Cancellation).ConfigureAwait(false);
        var newest = page.Where(b => b.Number > deployNumber && !b.Building && b.Result == "SUCCESS" && IsDeployOf(b, context.Application)
                && DeployTasks.ChangesWhatRuns(b.Parameter("DEPLOY_TASK")))
            .MaxBy(b => b.Number);
        return newest is null || newest.Parameter("TAG")?.Trim() == tag;
    }

    /// <summary>
    /// Pauses before the next look, or ends the wait with ReleaseWaitTimedOut (naming the stage and
    /// what was last seen) once the deadline has passed. The last look happens at the deadline.
    /// </summary>
    private async Task PauseAsync(FollowContext context, ReleaseStage stage, string seen)
    {
        var left = (context.Deadline - _clock.GetCurrentInstant()).ToTimeSpan();
        if (left <= TimeSpan.Zero)
        {
            throw Errors.ErrorCatalogue.ReleaseWaitTimedOut(stage, context.Application.Name, context.Sha, Describe(context.Timeout), context.Bars.Name(stage), seen);
        }

        await _options.Delay(left < _options.PollInterval ? left : _options.PollInterval, context.Cancellation).ConfigureAwait(false);
    }

    /// <summary>A Deploy_App build for this application: Jenkins knows it by its deploy name (or, as the observer allows, its name).</summary>
    private static bool IsDeployOf(JenkinsHistoryBuild build, Application application) =>
        build.Parameter("TARGET_APPLICATION")?.Trim() is { Length: > 0 } target
        && (target.Equals(application.DeployName, StringComparison.OrdinalIgnoreCase) || target.Equals(application.Name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A job's full name as Jenkins' upstream causes give it: folders joined by '/'.</summary>
    private static string JobName(string? name) =>
        string.Join('/', (name ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static bool IsSha(string text) => text.Length is >= 7 and <= 40 && text.All(Uri.IsHexDigit);

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private static string Describe(TimeSpan timeout) =>
        timeout.TotalSeconds < 120 ? string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0} seconds")
        : string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalMinutes:0.#} minutes");

    private sealed record FollowContext(Application Application, string Sha, string Branch, string Environment, TimeSpan Timeout, Instant Deadline,
        Bars Bars, IOperationReporter Reporter, CancellationToken Cancellation);

    /// <summary>A parent progress bar for the whole wait and one child bar per stage.</summary>
    private sealed class Bars
    {
        private const int StageCount = 4;
        private readonly IOperationReporter _reporter;
        private readonly int _parent = Interlocked.Add(ref _nextActivityId, StageCount + 1) - StageCount;
        private readonly string _title;
        private readonly string[] _names;
        private readonly string?[] _open = new string?[StageCount];

        public Bars(IOperationReporter reporter, Application application, string sha, int? pullRequest, string branch, string environment)
        {
            _reporter = reporter;
            _title = $"Following {application.Name} " + (pullRequest is { } n ? $"#{n} ({Short(sha)})" : Short(sha)) + " to its release";
            _names = [$"CI on {branch}", "the release tag", $"the {char.ToUpperInvariant(environment[0])}{environment[1..]} deploy", "the smoke tests"];
        }

        public string Name(ReleaseStage stage) => _names[(int)stage];

        public void Report(ReleaseStage stage, string status, int percent = -1)
        {
            var index = (int)stage;
            _reporter.Progress(new ProgressUpdate(_parent, _title, $"{index + 1} of {StageCount}: {Capitalised(_names[index])}", index * 100 / StageCount));
            _reporter.Progress(new ProgressUpdate(_parent + 1 + index, Capitalised(_names[index]), status, percent, ParentActivityId: _parent));
            _open[index] = status;
        }

        public void Done(ReleaseStage stage, string status)
        {
            var index = (int)stage;
            _reporter.Progress(new ProgressUpdate(_parent + 1 + index, Capitalised(_names[index]), status, 100, Completed: true, ParentActivityId: _parent));
            _open[index] = null;
        }

        public void CompleteAll()
        {
            for (var index = 0; index < StageCount; index++)
            {
                if (_open[index] is { } status)
                {
                    _reporter.Progress(new ProgressUpdate(_parent + 1 + index, Capitalised(_names[index]), status, -1, Completed: true, ParentActivityId: _parent));
                }
            }

            _reporter.Progress(new ProgressUpdate(_parent, _title, "Done", 100, Completed: true));
        }

        private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..];
    }
}
