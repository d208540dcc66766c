namespace GovukDeploy.Jenkins;

/// <summary>One build of a job as its history lists it: parameters, result, times and why it started.</summary>
public sealed record JenkinsHistoryBuild
{
    public required int Number { get; init; }
    public required string Url { get; init; }
    public bool Building { get; init; }

    /// <summary>SUCCESS, FAILURE, ABORTED, UNSTABLE, NOT_BUILT; null while building.</summary>
    public string? Result { get; init; }
    public DateTimeOffset Started { get; init; }
    public TimeSpan Duration { get; init; }
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The person who started it (UserIdCause), when a person did.</summary>
    public string? UserId { get; init; }
    public string? UserName { get; init; }

    /// <summary>The job that started it (UpstreamCause), when another build did: CI, for GOV.UK's Integration deploys.</summary>
    public string? UpstreamProject { get; init; }
    public int? UpstreamBuild { get; init; }

    /// <summary>Jenkins' own words for the first cause ("Started by user alice").</summary>
    public string? CauseDescription { get; init; }

    public DateTimeOffset? Finished => Building ? null : Started + Duration;

    public string? Parameter(string name) => Parameters.TryGetValue(name, out var value) ? value : null;
}
