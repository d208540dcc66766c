namespace GovukDeploy.Store;

/// <summary>
/// How a recorded deploy ended. FinishedAt defaults to the store clock's current time; Note is added
/// to the DeployFinished audit event (e.g. that Stop-Deployment stopped it, and why).
/// </summary>
public sealed record DeploymentFinish(DeploymentStatus Status, string? SmokeTest = null, string? BuildUrl = null, DateTimeOffset? FinishedAt = null,
    string? Note = null);
