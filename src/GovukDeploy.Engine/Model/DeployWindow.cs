namespace GovukDeploy;

/// <summary>One span of deploy hours for an environment.</summary>
public sealed class DeployWindow
{
    public required string Environment { get; init; }
    public DateTimeOffset Opens { get; init; }
    public DateTimeOffset Closes { get; init; }
    public TimeSpan Length => Closes - Opens;

    /// <summary>Length as a number of seconds, for scripts and JSON.</summary>
    public double LengthSeconds => Length.TotalSeconds;
}
