namespace GovukDeploy.Store;

/// <summary>A deploy about to start: recorded as InProgress at the store clock's current time.</summary>
public sealed record DeploymentStart
{
    public required string Application { get; init; }
    public required string Environment { get; init; }
    public required string Release { get; init; }
    public string? Sha { get; init; }
    public string? BuildUrl { get; init; }
    public required string DeployedBy { get; init; }
    public bool IsBranchDeploy { get; init; }

    /// <summary>Jenkins' DEPLOY_TASK for this deploy.</summary>
    public string DeployTask { get; init; } = DeployTasks.Deploy;
    /// <summary>The gate verdicts; each Overridden one is written to the audit log as GateOverridden, in the same transaction.</summary>
    public IReadOnlyList<GateVerdict> Gates { get; init; } = [];

    /// <summary>A confidential deploy: the caller has already reduced Release to a tag or SHA and withheld gate details.</summary>
    public bool Confidential { get; init; }

    /// <summary>Why gates were overridden (-Force -Reason), for the audit log.</summary>
    public string? OverrideReason { get; init; }
}
