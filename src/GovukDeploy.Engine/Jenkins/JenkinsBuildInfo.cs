namespace GovukDeploy.Jenkins;

/// <summary>What /job/NAME/B/api/json says about one build.</summary>
public sealed record JenkinsBuildInfo
{
    public required int Number { get; init; }
    public required string Url { get; init; }
    public bool Building { get; init; }

    /// <summary>SUCCESS, FAILURE, ABORTED, UNSTABLE, NOT_BUILT; null while building.</summary>
    public string? Result { get; init; }
    public TimeSpan EstimatedDuration { get; init; }
    public TimeSpan Duration { get; init; }
    public DateTimeOffset Started { get; init; }
    public long? QueueId { get; init; }
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>When it ended, from Jenkins' own start time and duration.</summary>
    public DateTimeOffset? Finished => Building ? null : Started + Duration;
}
