namespace GovukDeploy.Store;

/// <summary>The kinds of audit event the store writes itself; callers may append others (e.g. GateOverridden).</summary>
public static class AuditKinds
{
    public const string ApplicationAdded = nameof(ApplicationAdded);
    public const string ApplicationChanged = nameof(ApplicationChanged);
    public const string ApplicationRemoved = nameof(ApplicationRemoved);
    public const string FreezeSet = nameof(FreezeSet);
    public const string FreezeLifted = nameof(FreezeLifted);
    public const string DeployStarted = nameof(DeployStarted);
    public const string DeployFinished = nameof(DeployFinished);
    public const string GateOverridden = nameof(GateOverridden);
    public const string DeployLockTakenOver = nameof(DeployLockTakenOver);

    /// <summary>Undo-Deployment started a rollback: what it undoes, why, and how it passed the gates.</summary>
    public const string RollbackStarted = nameof(RollbackStarted);
    public const string ConfidentialModeOn = nameof(ConfidentialModeOn);
    public const string ConfidentialModeOff = nameof(ConfidentialModeOff);

    /// <summary>-Force -Reason let a change out while a confidential application's repository was public (or of unknown visibility).</summary>
    public const string ConfidentialOverride = nameof(ConfidentialOverride);
}
