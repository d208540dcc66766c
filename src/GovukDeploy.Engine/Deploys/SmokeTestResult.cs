// Public output type of Invoke-SmokeTest: BCL types only.
namespace GovukDeploy;

/// <summary>One run of the Smokey job for an application in an environment.</summary>
public sealed class SmokeTestResult
{
    public required string Application { get; init; }
    public required string Environment { get; init; }

    /// <summary>Passed or Failed.</summary>
    public required string Result { get; init; }
    public bool Passed => Result == PassedResult;
    public string? BuildUrl { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public TimeSpan Duration { get; init; }

    /// <summary>Duration as a number of seconds, for scripts and JSON.</summary>
    public double DurationSeconds => Duration.TotalSeconds;

    public const string PassedResult = "Passed";
    public const string FailedResult = "Failed";

    public override string ToString() => $"{Application} {Environment}: {Result}";
}
