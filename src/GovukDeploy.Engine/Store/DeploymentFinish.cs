namespace GovukDeploy.Store;

/// <summary>How a recorded deploy ended. FinishedAt defaults to the store clock's current time.</summary>
public sealed record DeploymentFinish(DeploymentStatus Status, string? SmokeTest = null, string? BuildUrl = null, DateTimeOffset? FinishedAt = null);
