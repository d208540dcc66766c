namespace GovukDeploy;

/// <summary>What one environment runs, for Get-DeployStatus: the tag (or branch) it last ran successfully.</summary>
public sealed class EnvironmentRelease
{
    public required string Environment { get; init; }

    /// <summary>The tag (or branch) it last ran successfully; null when it never had a deploy.</summary>
    public string? Release { get; init; }

    /// <summary>How many releases it is behind the latest (null when unknown).</summary>
    public int? Behind { get; init; }

    public override string ToString() => $"{Environment}: {Release ?? "-"}";
}
