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

    /// <summary>The Sentry stand-in (its API under /api/0/; sentry-cli takes BaseUrl, as it insists on a Sentry at the root).</summary>
    public string? SentryUrl { get; init; }

    /// <summary>The Icinga 2 stand-ins, one per environment.</summary>
    public string? IcingaUrl { get; init; }
    public string? DashboardUrl { get; init; }
    public int ProcessId { get; init; }
    public DateTimeOffset StartedAt { get; init; }
}
