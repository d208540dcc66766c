namespace GovukDeploy.Sandbox.Jenkins;

/// <summary>
/// What a Deploy_App build writes to its console, in one place: the running job writes the
/// parts over time, seeded history writes them all at once, and both read the same.
/// </summary>
public static class DeployConsole
{
    /// <summary>The one DEPLOY_TASK that changes what runs; the others run a task against it.</summary>
    public const string DeployTask = "deploy";

    /// <summary>The branch GOV.UK's deploy keeps at the commit an environment runs.</summary>
    public static string DeployedBranch(string environment) => $"deployed-to-{environment}";

    public static string Header(string application, string tag, string environment, string task) =>
        $"Deploying {application} {tag} to {environment} (task: {task})";

    /// <summary>Checking the tag out and starting the rollout (or the task).</summary>
    public static IReadOnlyList<string> Start(string application, string repo, string tag, string task) => task == DeployTask
        ?
        [
            $"+ git fetch --tags origin && git checkout {tag}",
            $"+ kubectl set image deployment/{application} app=ghcr.io/{repo}:{tag}",
            $"deployment.apps/{application} image updated",
        ]
        :
        [
            $"+ git fetch --tags origin && git checkout {tag}",
            $"+ kubectl exec deployment/{application} -- bundle exec rake {task}",
        ];

    public static IReadOnlyList<string> RolloutFailed(string application, string why) =>
    [
        $"Waiting for deployment \"{application}\" rollout to finish: 1 of 3 updated replicas are available...",
        $"error: deployment exceeded its progress deadline{why}",
    ];

    public static string RolloutStuck(string application) =>
        $"Waiting for deployment \"{application}\" rollout to finish: 0 of 3 updated replicas are available...";

    /// <summary>The end of a build that succeeded.</summary>
    public static IReadOnlyList<string> Finish(string application, string repo, string tag, string environment, string task) => task == DeployTask
        ?
        [
            $"Waiting for deployment \"{application}\" rollout to finish: 2 of 3 updated replicas are available...",
            $"deployment \"{application}\" successfully rolled out",
            $"+ git push --force origin {tag}^{{commit}}:refs/heads/{DeployedBranch(environment)}",
            $"Notifying the Release app: {repo} {tag} deployed to {environment}",
        ]
        :
        [
            $"{task} finished for {application} in {environment}",
        ];

    /// <summary>A whole console, for a build that finished before the sandbox started.</summary>
    public static IReadOnlyList<string> Whole(string application, string repo, string tag, string environment, string task, string result) =>
    [
        Header(application, tag, environment, task),
        .. Start(application, repo, tag, task),
        .. result == "SUCCESS" ? Finish(application, repo, tag, environment, task) : RolloutFailed(application, ""),
    ];
}
