namespace GovukDeploy;

/// <summary>One line of a deploy's Jenkins console, with its control characters made visible.</summary>
public sealed class DeploymentLogLine
{
    public required string Application { get; init; }
    public required string Environment { get; init; }
    public required string BuildUrl { get; init; }

    /// <summary>The line's number in the console, from 1.</summary>
    public long LineNumber { get; init; }
    public required string Text { get; init; }

    public override string ToString() => Text;
}
