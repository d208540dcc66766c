namespace GovukDeploy.Sandbox.GitHub;

/// <summary>GitHub's primary rate limit: 5000 requests an hour per user, 60 an hour per address when anonymous.</summary>
public sealed class GitHubRateLimits
{
    public const int AuthenticatedLimit = 5000;
    public const int AnonymousLimit = 60;

    private readonly object _sync = new();
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public GitHubRateLimits(TimeProvider clock) => _clock = clock;

    public RateLimitSnapshot Peek(string key, int limit) => Use(key, limit, 0);

    /// <summary>Counts one request against the caller's window and returns the state after it.</summary>
    public RateLimitSnapshot Count(string key, int limit) => Use(key, limit, 1);

    private RateLimitSnapshot Use(string key, int limit, int amount)
    {
        lock (_sync)
        {
            var now = _clock.GetUtcNow();
            if (!_buckets.TryGetValue(key, out var bucket) || bucket.ResetAt <= now)
            {
                bucket = new Bucket { ResetAt = now.AddHours(1) };
                _buckets[key] = bucket;
            }
            bucket.Used = Math.Min(limit, bucket.Used + amount);
            return new RateLimitSnapshot(limit, bucket.Used, bucket.ResetAt);
        }
    }

    private sealed class Bucket
    {
        public int Used { get; set; }
        public DateTimeOffset ResetAt { get; init; }
    }
}

public readonly record struct RateLimitSnapshot(int Limit, int Used, DateTimeOffset ResetAt)
{
    public int Remaining => Math.Max(0, Limit - Used);
    public long Reset => ResetAt.ToUnixTimeSeconds();
}
