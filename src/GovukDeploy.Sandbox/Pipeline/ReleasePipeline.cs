using GovukDeploy.Sandbox.GitHub;
using GovukDeploy.Sandbox.Jenkins;

namespace GovukDeploy.Sandbox.Pipeline;

/// <summary>
/// GOV.UK's continuous deployment: a push to the default branch runs the app's CI
/// job; when it passes, Jenkins tags release_N (N = the CI build number), deploys
/// that tag to Integration with Deploy_App and then runs Smokey. Pull-request heads
/// run CI too, which sets their commit status and check run.
/// </summary>
public sealed class ReleasePipeline
{
    private readonly GitHubStore _github;
    private readonly JenkinsFarm _farm;
    private readonly BuildScripts _scripts;
    private readonly PipelineLog _log;
    private readonly object _sync = new();
    private readonly Dictionary<string, Queue<string>> _outcomes = new(StringComparer.OrdinalIgnoreCase);

    public ReleasePipeline(GitHubStore github, JenkinsFarm farm, BuildScripts scripts, PipelineLog log)
    {
        _github = github;
        _farm = farm;
        _scripts = scripts;
        _log = log;
    }

    public PipelineLog Log => _log;

    /// <summary>The app's CI job on the CI Jenkins: a multibranch project with one job per branch or PR.</summary>
    public JenkinsJob CiJob(GitRepository repo, string branchJob)
    {
        var fullName = $"{repo.Name}/{branchJob}";
        return _farm[JenkinsFarm.Ci].AddJob(fullName, JobKind.Pipeline,
            script: _scripts.Ci(repo.FullName, () => TakeOutcome(fullName)),
            description: $"CI for {repo.FullName} {branchJob}",
            folderKind: JobKind.MultiBranch);
    }

    /// <summary>Decides how the next CI build of a branch job ends (default: it passes).</summary>
    public void SetNextOutcome(string ciJobFullName, string outcome)
    {
        lock (_sync)
        {
            if (!_outcomes.TryGetValue(ciJobFullName, out var queue))
            {
                _outcomes[ciJobFullName] = queue = new Queue<string>();
            }
            queue.Enqueue(outcome);
        }
    }

    private string TakeOutcome(string ciJobFullName)
    {
        lock (_sync)
        {
            return _outcomes.TryGetValue(ciJobFullName, out var queue) && queue.TryDequeue(out var outcome) ? outcome : "SUCCESS";
        }
    }

    public void DefaultBranchPushed(GitRepository repo, string sha)
    {
        var ci = _farm[JenkinsFarm.Ci];
        var job = CiJob(repo, repo.DefaultBranch);
        _log.Add(repo.FullName, "pushed", $"{repo.DefaultBranch} is now {sha[..7]}");
        _github.SetStatus(repo, sha, GitHubStore.BranchContext, "pending", "This commit is being built", ci.JobUrl(job));
        var item = ci.Schedule(job, new Dictionary<string, string>(), BuildCause.BranchEvent($"Push event to branch {repo.DefaultBranch}"),
            build => DefaultBranchBuilt(repo, sha, ci, build));
        _log.Add(repo.FullName, "ci-queued", $"{job.FullName} queued", JenkinsFarm.Ci, ci.QueueUrl(item));
    }

    private void DefaultBranchBuilt(GitRepository repo, string sha, JenkinsInstance ci, JenkinsBuild build)
    {
        var url = ci.BuildUrl(build);
        _log.Add(repo.FullName, "ci-finished", $"{build.Job.FullName} #{build.Number}: {build.Result}", JenkinsFarm.Ci, url);
        if (build.Result != "SUCCESS")
        {
            _github.SetStatus(repo, sha, GitHubStore.BranchContext, "failure", "This commit cannot be built", url);
            return;
        }

        _github.SetStatus(repo, sha, GitHubStore.BranchContext, "success", "This commit looks good", url);
        var tag = $"release_{build.Number}";
        var bot = _github.FindUser("govuk-ci") ?? repo.Owner;
        _github.CreateTag(repo, tag, sha, bot, annotated: false);
        _log.Add(repo.FullName, "tagged", $"{tag} -> {sha[..7]}");
        Deploy(repo, "integration", tag, BuildCause.Upstream(build.Job, build.Number), runSmokey: true);
    }

    /// <summary>Runs Deploy_App (and then Smokey) on one environment's Jenkins.</summary>
    public QueueItem Deploy(GitRepository repo, string environment, string tag, BuildCause cause, bool runSmokey)
    {
        var jenkins = _farm[environment];
        var deployJob = jenkins.FindJob("Deploy_App")!;
        var parameters = new Dictionary<string, string>
        {
            ["TARGET_APPLICATION"] = repo.DeployName,
            ["DEPLOY_TASK"] = "deploy",
            ["TAG"] = tag,
        };
        var item = jenkins.Schedule(deployJob, parameters, cause, build =>
        {
            var url = jenkins.BuildUrl(build);
            _log.Add(repo.FullName, "deploy-finished", $"Deploy_App #{build.Number} {tag}: {build.Result}", environment, url);
            if (build.Result == "SUCCESS" && runSmokey)
            {
                var smokey = jenkins.FindJob("Smokey")!;
                var smokeItem = jenkins.Schedule(smokey, new Dictionary<string, string> { ["TARGET_APPLICATION"] = repo.DeployName },
                    BuildCause.Upstream(build.Job, build.Number),
                    s => _log.Add(repo.FullName, "smokey-finished", $"Smokey #{s.Number}: {s.Result}", environment, jenkins.BuildUrl(s)));
                _log.Add(repo.FullName, "smokey-queued", "Smokey queued", environment, jenkins.QueueUrl(smokeItem));
            }
        });
        _log.Add(repo.FullName, "deploy-queued", $"Deploy_App {repo.DeployName} {tag}", environment, jenkins.QueueUrl(item));
        return item;
    }

    /// <summary>Pushes a new commit to a pull request's head and runs its CI, which will end with the given outcome.</summary>
    public GitCommit PushToPullRequest(GitRepository repo, PullRequest pr, string outcome, string message, GitHubUser author)
    {
        GitCommit commit;
        lock (_github.Sync)
        {
            commit = _github.AddCommit(repo, pr.HeadRef, message, author);
            pr.UpdatedAt = commit.Date;
        }
        _log.Add(repo.FullName, "pr-pushed", $"#{pr.Number} head is now {commit.Sha[..7]} (CI will end {outcome})");
        RunPullRequestCi(repo, pr, commit.Sha, outcome);
        return commit;
    }

    public void RunPullRequestCi(GitRepository repo, PullRequest pr, string sha, string outcome)
    {
        var ci = _farm[JenkinsFarm.Ci];
        var job = CiJob(repo, $"PR-{pr.Number}");
        SetNextOutcome(job.FullName, outcome);
        _github.SetStatus(repo, sha, GitHubStore.PullRequestContext, "pending", "This commit is being built", ci.JobUrl(job));
        _github.SetCheckRun(repo, sha, "in_progress", null, ci.JobUrl(job));
        ci.Schedule(job, new Dictionary<string, string>(), BuildCause.BranchEvent($"Pull request #{pr.Number} updated"), build =>
        {
            var url = ci.BuildUrl(build);
            var success = build.Result == "SUCCESS";
            _github.SetStatus(repo, sha, GitHubStore.PullRequestContext, success ? "success" : "failure",
                success ? "This commit looks good" : "This commit cannot be built", url);
            _github.SetCheckRun(repo, sha, "completed", success ? "success" : "failure", url);
            _log.Add(repo.FullName, "pr-ci-finished", $"#{pr.Number} {build.Job.FullName} #{build.Number}: {build.Result}", JenkinsFarm.Ci, url);
        });
    }
}
