namespace GovukDeploy.Catalogue;

/// <summary>What Set-Application changes: null leaves a field as it is; an empty Team or Type clears it.</summary>
public sealed record ApplicationChanges
{
    public string? Repository { get; init; }
    public string? DeployName { get; init; }
    public string? Team { get; init; }
    public string? Type { get; init; }
    public bool? Retired { get; init; }
    public string? ReleaseTagPattern { get; init; }
}
