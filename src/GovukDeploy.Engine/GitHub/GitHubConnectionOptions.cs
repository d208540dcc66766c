using GovukDeploy.Configuration;
using GovukDeploy.Platform;
using NodaTime;

namespace GovukDeploy.GitHub;

/// <summary>How to reach GitHub and how patient to be with it.</summary>
public sealed class GitHubConnectionOptions
{
    /// <summary>The API address or a GitHub Enterprise server's address (see <see cref="GitHubApiAddress"/>).</summary>
    public string ApiUrl { get; init; } = GitHubApiAddress.DotCom.ToString();

    /// <summary>The token, revealed by the caller from its Secret; null for anonymous access.</summary>
    public string? Token { get; init; }

    /// <summary>Where ETag-validated responses are kept; null disables the cache.</summary>
    public string? CacheDirectory { get; init; } = DefaultCacheDirectory;

    public static string DefaultCacheDirectory => Path.Combine(PlatformPaths.CacheDirectory, "github");

    /// <summary>How many requests may be in flight at once (GitHub asks clients not to flood it).</summary>
    public int ThrottleLimit { get; init; } = 6;

    /// <summary>The longest wait for a primary rate limit to reset before giving up with LimitsExceeded.</summary>
    public TimeSpan RateLimitWaitLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest Retry-After (secondary rate limit) that is honoured before giving up.</summary>
    public TimeSpan RetryAfterLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a GET after a 5xx or a dropped connection (never of anything else).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The first backoff delay; later ones double, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one HTTP request may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How often Wait-PullRequestCheck polls.</summary>
    public TimeSpan CheckPollInterval { get; init; } = TimeSpan.FromSeconds(10);

    public IClock Clock { get; init; } = SystemClock.Instance;

    /// <summary>Options from the effective configuration (address, token, throttle limit).</summary>
    public static GitHubConnectionOptions FromConfiguration(DeployConfiguration configuration) => new()
    {
        ApiUrl = configuration.Get(SettingCatalogue.GitHubApiUrl) ?? GitHubApiAddress.DotCom.ToString(),
        Token = configuration.GetSecret(SettingCatalogue.GitHubToken)?.Reveal(),
        ThrottleLimit = int.TryParse(configuration.Get(SettingCatalogue.GitHubThrottleLimit), out var limit) && limit > 0 ? limit : 6,
        RateLimitWaitLimit = TimeSpan.FromSeconds(int.TryParse(configuration.Get(SettingCatalogue.GitHubRateLimitWaitSeconds), out var wait) && wait > 0 ? wait : 60),
    };
}
