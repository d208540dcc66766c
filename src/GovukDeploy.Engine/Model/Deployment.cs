using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace GovukDeploy;

[JsonConverter(typeof(StringEnumConverter))]
public enum DeploymentStatus
{
    InProgress,
    Succeeded,
    Failed,
    Aborted,
}

/// <summary>Who told us of a deploy: we ran it, or we observed it in Jenkins' history or the Release app.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum DeploymentSource
{
    GovukDeploy,
    Jenkins,
    ReleaseApp,

    /// <summary>Only the application's deployed-to-ENVIRONMENT branch says so (Jenkins has no deploy of it).</summary>
    DeployedToBranch,
}

/// <summary>One deploy of a release (or a branch) of an application to an environment.</summary>
public sealed class Deployment
{
    public long Id { get; init; }
    public required string Application { get; init; }
    public required string Environment { get; init; }

    /// <summary>The release tag deployed, or the branch name for a branch deploy.</summary>
    public required string Release { get; init; }
    public string? Sha { get; init; }
    public DeploymentStatus Status { get; init; }
    public string? BuildUrl { get; init; }

    /// <summary>
    /// The Jenkins queue item the deploy waited in, recorded when it was triggered: a deploy still
    /// queued when its session ended is followed from here to its build (Wait-Deployment).
    /// </summary>
    public string? QueueUrl { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public TimeSpan? Duration => FinishedAt - StartedAt;

    /// <summary>Duration as a number of seconds, for scripts and JSON (null while it runs).</summary>
    public double? DurationSeconds => Duration?.TotalSeconds;
    public required string DeployedBy { get; init; }
    public bool IsBranchDeploy { get; init; }

    /// <summary>The gate verdicts evaluated before the deploy started.</summary>
    public GateVerdict[] Gates { get; init; } = [];

    /// <summary>The smoke test result after the deploy, when one was run (Passed, Failed, ...).</summary>
    public string? SmokeTest { get; init; }

    /// <summary>Where the record came from: a deploy GovukDeploy ran, or one observed in Jenkins' history.</summary>
    public DeploymentSource Source { get; init; } = DeploymentSource.GovukDeploy;

    /// <summary>Jenkins' DEPLOY_TASK: "deploy" changes what runs; others (app:migrate, app:restart) do not.</summary>
    public string DeployTask { get; init; } = DeployTasks.Deploy;

    /// <summary>
    /// The application's health after the deploy, as Invoke-Deploy -Verify last saw it; null otherwise.
    /// Not kept in the store: Test-DeployHealth checks again.
    /// </summary>
    public DeployHealth? Health { get; set; }

    /// <summary>True for a deploy made by Undo-Deployment: it put back a release that ran in the environment before.</summary>
    public bool IsRollback { get; init; }

    /// <summary>For a rollback, the deploy it undid: that deploy's Jenkins build URL, or "#Id" when it had none.</summary>
    public string? RollsBack { get; init; }

    /// <summary>
    /// Made while the application was confidential (or with Invoke-Deploy -Confidential): the store
    /// keeps its release tag and SHA only, never a branch name, and its gate details are withheld.
    /// </summary>
    public bool Confidential { get; init; }

    /// <summary>Whether this deploy changed what the environment runs (a deploy task that succeeded).</summary>
    public bool ChangedWhatRuns => Status == DeploymentStatus.Succeeded && DeployTasks.ChangesWhatRuns(DeployTask);
}

/// <summary>Jenkins' DEPLOY_TASK values that matter here.</summary>
public static class DeployTasks
{
    public const string Deploy = "deploy";

    /// <summary>Only the deploy task puts a new release in place; migrations, restarts and the like leave it as it was.</summary>
    public static bool ChangesWhatRuns(string? task) => string.IsNullOrWhiteSpace(task) || string.Equals(task.Trim(), Deploy, StringComparison.OrdinalIgnoreCase);
}
