namespace GovukDeploy.Jenkins;

/// <summary>
/// A triggered build: usually a queue item; when a lost trigger response was recovered by
/// finding the build itself, the build's URL may already be known instead.
/// </summary>
public sealed record JenkinsQueuedBuild
{
    public long? QueueId { get; init; }
    public string? QueueUrl { get; init; }
    public string? BuildUrl { get; init; }
    public int? BuildNumber { get; init; }

    /// <summary>True when this was found by its parameters after a trigger whose outcome was unknown.</summary>
    public bool Recovered { get; init; }
}
