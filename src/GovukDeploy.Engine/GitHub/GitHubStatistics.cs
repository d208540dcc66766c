namespace GovukDeploy.GitHub;

/// <summary>What a connection has sent so far: the bench and the tests read it to see the cache and retries at work.</summary>
public sealed class GitHubStatistics
{
    private long _requests;
    private long _notModified;
    private long _retries;
    private long _rateLimitWaits;
    private int _inFlight;
    private int _peakInFlight;

    /// <summary>HTTP requests that reached the network (each retry counts).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Conditional requests that GitHub answered 304 Not Modified (free against the rate limit).</summary>
    public long NotModified => Interlocked.Read(ref _notModified);

    public long Retries => Interlocked.Read(ref _retries);
    public long RateLimitWaits => Interlocked.Read(ref _rateLimitWaits);

    /// <summary>The most requests that were ever in flight at once (bounded by the throttle limit).</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    internal void CountRequest() => Interlocked.Increment(ref _requests);
    internal void CountNotModified() => Interlocked.Increment(ref _notModified);
    internal void CountRetry() => Interlocked.Increment(ref _retries);
    internal void CountRateLimitWait() => Interlocked.Increment(ref _rateLimitWaits);

    internal void Started()
    {
        var now = Interlocked.Increment(ref _inFlight);
        int peak;
        while (now > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, now, peak) != peak)
        {
        }
    }

    internal void Finished() => Interlocked.Decrement(ref _inFlight);

    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _notModified, 0);
        Interlocked.Exchange(ref _retries, 0);
        Interlocked.Exchange(ref _rateLimitWaits, 0);
        Interlocked.Exchange(ref _peakInFlight, 0);
    }
}
