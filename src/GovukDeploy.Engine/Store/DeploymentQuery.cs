namespace GovukDeploy.Store;

/// <summary>Which deployments to read; results come newest first.</summary>
public sealed record DeploymentQuery
{
    public static readonly DeploymentQuery All = new();

    /// <summary>Application names or wildcard patterns (* and ?), ignoring case; null or empty means every application.</summary>
    public IReadOnlyList<string>? Applications { get; init; }
    public string? Environment { get; init; }

    /// <summary>At most this many (the newest); null means no limit.</summary>
    public int? Last { get; init; }
    public bool InProgressOnly { get; init; }

    /// <summary>Only branch deploys (a branch's head tried on the first environment).</summary>
    public bool BranchDeploysOnly { get; init; }

    /// <summary>Only deploys started at or after this time.</summary>
    public DateTimeOffset? StartedSince { get; init; }
}
