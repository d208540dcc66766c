using GovukDeploy.Sandbox.Faults;
using GovukDeploy.Sandbox.GitHub;
using GovukDeploy.Sandbox.Release;

namespace GovukDeploy.Sandbox.Jenkins;

/// <summary>What the jobs do: an app's CI, Deploy_App and Smokey.</summary>
public sealed class BuildScripts
{
    public static readonly IReadOnlyList<ParameterDefinition> DeployParameters =
    [
        new("TARGET_APPLICATION", "", "The application to deploy (its deploy name)."),
        new("DEPLOY_TASK", "deploy", "The deploy task: deploy, deploy:setup, app:restart..."),
        new("TAG", "", "The git tag (release_N) or ref to deploy."),
    ];

    public static readonly IReadOnlyList<ParameterDefinition> SmokeyParameters =
    [
        new("TARGET_APPLICATION", "", "Run only the smoke tests tagged for this application (empty: all)."),
    ];

    private readonly GitHubStore _github;
    private readonly ReleaseApp _release;
    private readonly FaultBoard _faults;
    private readonly double _deploySeconds;
    private readonly double _ciSeconds;

    public BuildScripts(GitHubStore github, ReleaseApp release, FaultBoard faults, double deploySeconds, double ciSeconds)
    {
        _github = github;
        _release = release;
        _faults = faults;
        _deploySeconds = deploySeconds;
        _ciSeconds = ciSeconds;
    }

    public double DeploySeconds => _deploySeconds;

    /// <summary>
    /// Told of each successful deploy (application, deploy name, environment, build start, now), so that
    /// what was scripted for "after the next deploy" happens.
    /// </summary>
    public Action<string, string, string, DateTimeOffset, DateTimeOffset>? Deployed { get; set; }

    /// <summary>Asked before each Smokey run for an application (name, deploy name, environment): must it fail?</summary>
    public Func<string, string, string, bool>? SmokeMustFail { get; set; }
    public double CiSeconds => _ciSeconds;

    /// <summary>A CI run whose outcome ("SUCCESS" or "FAILURE") is decided by <paramref name="outcome"/> when it starts.</summary>
    public BuildScript Ci(string repoName, Func<string> outcome) => async run =>
    {
        var result = outcome();
        run.Log($"[Pipeline] Start of Pipeline");
        run.Log($"Cloning repository {repoName}");
        await run.LogOver(_ciSeconds * 0.5, ["[Pipeline] stage (Lint)", "bundle exec rubocop", "42 files inspected, no offenses detected"]);
        await run.LogOver(_ciSeconds * 0.5, ["[Pipeline] stage (Test)", "bundle exec rake",
            result == "SUCCESS" ? "312 examples, 0 failures" : "312 examples, 2 failures"]);
        run.Log(result == "SUCCESS" ? "[Pipeline] End of Pipeline" : "ERROR: script returned exit code 1");
        return result;
    };

    public BuildScript DeployApp() => async run =>
    {
        var application = run.Parameter("TARGET_APPLICATION");
        var tag = run.Parameter("TAG");
        var task = run.Parameter("DEPLOY_TASK");
        run.Log(DeployConsole.Header(application, tag, run.Environment, task));

        var repo = string.IsNullOrWhiteSpace(application) ? null : _github.FindByApplication(application);
        if (repo is null)
        {
            run.Log($"ERROR: unknown application '{application}'.");
            return "FAILURE";
        }
        string? commit;
        lock (_github.Sync)
        {
            commit = string.IsNullOrWhiteSpace(tag) ? null : GitHubStore.Resolve(repo, tag);
        }
        if (commit is null)
        {
            run.Log($"ERROR: fatal: couldn't find remote ref {tag} in {repo.FullName}.");
            return "FAILURE";
        }

        var fail = _faults.Take("jenkins", "deploy-fail", run.Environment);
        var hang = fail is null ? _faults.Take("jenkins", "deploy-hang", run.Environment) : null;
        var abort = fail is null && hang is null ? _faults.Take("jenkins", "deploy-abort", run.Environment) : null;

        var half = _deploySeconds / 2;
        await run.LogOver(half, DeployConsole.Start(application, repo.FullName, tag, task));

        if (fail is not null)
        {
            foreach (var line in DeployConsole.RolloutFailed(application, " (sandbox fault)"))
            {
                run.Log(line);
            }
            return "FAILURE";
        }
        if (hang is not null)
        {
            run.Log(DeployConsole.RolloutStuck(application));
            await Task.Delay(Timeout.InfiniteTimeSpan, run.Jenkins.Clock, run.Token);
        }
        if (abort is not null)
        {
            run.Jenkins.StopBuild(run.Build, "sandbox-fault");
            run.Token.ThrowIfCancellationRequested();
        }

        await run.LogOver(_deploySeconds - half, DeployConsole.Finish(application, repo.FullName, tag, run.Environment, task));
        if (task != DeployConsole.DeployTask)
        {
            // Other tasks (app:migrate, app:restart...) run against what is deployed and change nothing about it.
            return "SUCCESS";
        }

        // GOV.UK's deploy moves deployed-to-<environment> to what it deployed, whoever started it.
        var now = run.Jenkins.Clock.GetUtcNow();
        _github.MoveBranch(repo, DeployConsole.DeployedBranch(run.Environment), commit, now);
        _release.Record(repo.FullName, tag, run.Environment, now, "jenkins");
        Deployed?.Invoke(repo.Name, repo.DeployName, run.Environment, run.Build.Timestamp, now);
        return "SUCCESS";
    };

    public BuildScript Smokey() => async run =>
    {
        var application = run.Parameter("TARGET_APPLICATION");
        run.Log($"Running smoke tests{(string.IsNullOrEmpty(application) ? "" : $" tagged @app-{application}")} against {run.Environment}");
        var repo = string.IsNullOrWhiteSpace(application) ? null : _github.FindByApplication(application);
        var scripted = repo is not null && SmokeMustFail?.Invoke(repo.Name, repo.DeployName, run.Environment) == true;
        if (scripted || _faults.Take("jenkins", "smokey-fail", run.Environment) is not null)
        {
            await run.LogOver(_ciSeconds, ["bundle exec cucumber --profile " + run.Environment,
                "Scenario: Check the homepage loads ... expected status 200, got 502 (sandbox fault)",
                "14 scenarios (1 failed, 13 passed)", "58 steps (1 failed, 57 passed)"]);
            return "FAILURE";
        }
        await run.LogOver(_ciSeconds, ["bundle exec cucumber --profile " + run.Environment, "14 scenarios (14 passed)", "58 steps (58 passed)"]);
        return "SUCCESS";
    };
}
