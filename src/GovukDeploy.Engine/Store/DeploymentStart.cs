namespace GovukDeploy.Store;

/// <summary>A deploy about to start: recorded as InProgress at the store clock's current time.</summary>
public sealed record DeploymentStart
{
    public required string Application { get; init; }
    public required string Environment { get; init; }
    public required string Release { get; init; }
    public string? Sha { get; init; }
    public string? BuildUrl { get; init; }

    /// <summary>The Jenkins queue item, when the deploy is recorded as soon as it is triggered (before it has a build).</summary>
    public string? QueueUrl { get; init; }
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

    /// <summary>A rollback (Undo-Deployment): audited as RollbackStarted with <see cref="RollbackDetail"/>, in the same transaction.</summary>
    public bool IsRollback { get; init; }

    /// <summary>The deploy a rollback undoes (its build URL, or "#Id").</summary>
    public string? RollsBack { get; init; }

    /// <summary>What the RollbackStarted audit event says: what is undone, why, and how the gates were passed.</summary>
    public string? RollbackDetail { get; init; }
}
