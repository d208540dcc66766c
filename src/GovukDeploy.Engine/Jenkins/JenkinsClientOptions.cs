namespace GovukDeploy.Jenkins;

/// <summary>How often to poll and how hard to retry. The defaults suit a real Jenkins; tests and benchmarks shorten them.</summary>
public sealed record JenkinsClientOptions
{
    public TimeSpan QueuePollInterval { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan BuildPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long one request may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a read (poll) after a 5xx or a dropped connection; the wait grows with jitter.</summary>
    public int MaxRetries { get; init; } = 6;
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After a trigger whose outcome is unknown and no matching build is found, how long to wait for a
    /// build the trigger might still have queued (a quiet period) before looking once more.
    /// </summary>
    public TimeSpan TriggerSettleTime { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>How many of the job's newest builds to inspect when looking for a build by its parameters.</summary>
    public int RecentBuildsToSearch { get; init; } = 10;

    /// <summary>For tests: wraps the HTTP handler (e.g. to lose a response after the request was sent).</summary>
    public Func<HttpMessageHandler, HttpMessageHandler>? WrapHandler { get; init; }
}
