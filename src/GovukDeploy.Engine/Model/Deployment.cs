namespace GovukDeploy;

public enum DeploymentStatus
{
    InProgress,
    Succeeded,
    Failed,
    Aborted,
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
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public TimeSpan? Duration => FinishedAt - StartedAt;
    public required string DeployedBy { get; init; }
    public bool IsBranchDeploy { get; init; }

    /// <summary>The gate verdicts evaluated before the deploy started.</summary>
    public GateVerdict[] Gates { get; init; } = [];

    /// <summary>The smoke test result after the deploy, when one was run (Passed, Failed, ...).</summary>
    public string? SmokeTest { get; init; }
}
