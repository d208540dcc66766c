namespace GovukDeploy;

/// <summary>A running sandbox: where each stand-in service answers. Its tokens are never shown.</summary>
public sealed class SandboxInfo
{
    public required string BaseUrl { get; init; }
    public required string GitHubApiUrl { get; init; }
    public required string JenkinsUrl { get; init; }
    public required string ReleaseAppUrl { get; init; }
    public required string BankHolidayFeedUrl { get; init; }
    public required string ControlUrl { get; init; }
    public int ProcessId { get; init; }
    public DateTimeOffset StartedAt { get; init; }
}
