using System.Globalization;
using System.Net;
using GovukDeploy.Errors;
using GovukDeploy.Reporting;
using Octokit;
using Octokit.Internal;
using Polly;
using Polly.Retry;

namespace GovukDeploy.GitHub;

/// <summary>
/// Sits under Octokit's connection and above its HTTP adapter: bounds how many requests are in
/// flight, retries GETs after 5xx answers and dropped connections (jittered exponential backoff),
/// waits out rate limits when the wait is short enough, and counts what it sends. Anything other
/// than a GET is sent exactly once: a merge must never be repeated blindly.
/// </summary>
internal sealed class GitHubHttpClient : IHttpClient
{
    private static int _nextActivityId = 7100;

    private readonly IHttpClient _inner;
    private readonly GitHubConnectionOptions _options;
    private readonly GitHubStatistics _statistics;
    private readonly SemaphoreSlim _inFlight;
    private readonly ResiliencePipeline<IResponse> _getPipeline;

    public GitHubHttpClient(IHttpClient inner, GitHubConnectionOptions options, GitHubStatistics statistics)
    {
        _inner = inner;
        _options = options;
        _statistics = statistics;
        _inFlight = new SemaphoreSlim(Math.Max(1, options.ThrottleLimit));
        _getPipeline = BuildGetPipeline(options, statistics);
    }

    public async Task<IResponse> Send(IRequest request, CancellationToken cancellationToken, Func<object, object>? preprocessResponseBody = null)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, GitHubCallContext.CancellationToken);
        var token = linked.Token;
        var isGet = request.Method == HttpMethod.Get;
        const int maxRateLimitWaits = 3;

        for (var waits = 0; ; waits++)
        {
            var response = isGet
                ? await _getPipeline.ExecuteAsync(async t => await SendOnce(request, preprocessResponseBody, t).ConfigureAwait(false), token).ConfigureAwait(false)
                : await SendOnceOrExplain(request, preprocessResponseBody, token).ConfigureAwait(false);

            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                _statistics.CountNotModified();
            }

            if (PrimaryLimitReset(response) is { } reset)
            {
                var wait = reset - _options.Clock.GetCurrentInstant().ToDateTimeOffset() + TimeSpan.FromSeconds(1);
                if (!isGet || waits >= maxRateLimitWaits || wait > _options.RateLimitWaitLimit)
                {
                    throw ErrorCatalogue.GitHubRateLimitExceeded(reset, isGet ? null : request.Method.Method);
                }
                await WaitAsync(wait, $"GitHub's rate limit is used up; waiting until it resets at {reset.ToUniversalTime():HH:mm:ss} UTC", token).ConfigureAwait(false);
                continue;
            }

            if (SecondaryLimitWait(response) is { } retryAfter)
            {
                if (!isGet || waits >= maxRateLimitWaits || retryAfter > _options.RetryAfterLimit)
                {
                    throw ErrorCatalogue.GitHubSecondaryRateLimit(retryAfter, isGet ? null : request.Method.Method);
                }
                await WaitAsync(retryAfter, $"GitHub asked us to slow down (secondary rate limit); retrying in {retryAfter.TotalSeconds:0} s", token).ConfigureAwait(false);
                continue;
            }

            return response;
        }
    }

    public void SetRequestTimeout(TimeSpan timeout) => _inner.SetRequestTimeout(timeout);

    public void Dispose()
    {
        _inner.Dispose();
        _inFlight.Dispose();
    }

    private async Task<IResponse> SendOnce(IRequest request, Func<object, object>? preprocess, CancellationToken token)
    {
        await _inFlight.WaitAsync(token).ConfigureAwait(false);
        _statistics.CountRequest();
        _statistics.Started();
        try
        {
            return await _inner.Send(request, token, preprocess).ConfigureAwait(false);
        }
        finally
        {
            _statistics.Finished();
            _inFlight.Release();
        }
    }

    /// <summary>A write that fails in transit may or may not have happened; say so instead of retrying.</summary>
    private async Task<IResponse> SendOnceOrExplain(IRequest request, Func<object, object>? preprocess, CancellationToken token)
    {
        try
        {
            return await SendOnce(request, preprocess, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !token.IsCancellationRequested))
        {
            throw ErrorCatalogue.GitHubWriteInterrupted(request.Method.ToString(), request.Endpoint.ToString(), e);
        }
    }

    private static ResiliencePipeline<IResponse> BuildGetPipeline(GitHubConnectionOptions options, GitHubStatistics statistics)
    {
        var builder = new ResiliencePipelineBuilder<IResponse>();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<IResponse>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or IOException } => true,
                    // HttpClient's own timeout, not the caller's cancellation.
                    { Exception: OperationCanceledException } => !args.Context.CancellationToken.IsCancellationRequested,
                    { Result: { } response } => (int)response.StatusCode >= 500,
                    _ => false,
                }),
                OnRetry = args =>
                {
                    statistics.CountRetry();
                    var why = args.Outcome.Exception is { } e ? e.GetType().Name : $"HTTP {(int)args.Outcome.Result!.StatusCode}";
                    GitHubCallContext.Reporter.Verbose(
                        $"GitHub request failed ({why}); retry {args.AttemptNumber + 1} of {options.MaxRetries} in {args.RetryDelay.TotalMilliseconds:0} ms.");
                    return default;
                },
            });
        }
        return builder.Build();
    }

    private async Task WaitAsync(TimeSpan wait, string status, CancellationToken token)
    {
        _statistics.CountRateLimitWait();
        var reporter = GitHubCallContext.Reporter;
        var activity = Interlocked.Increment(ref _nextActivityId);
        reporter.Warning(status + ".");
        var total = wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        var started = DateTimeOffset.UtcNow;
        try
        {
            while (true)
            {
                var elapsed = DateTimeOffset.UtcNow - started;
                if (elapsed >= total)
                {
                    break;
                }
                var percent = total.TotalMilliseconds <= 0 ? 100 : (int)(100 * elapsed.TotalMilliseconds / total.TotalMilliseconds);
                reporter.Progress(new ProgressUpdate(activity, "Waiting for GitHub", $"{status} ({(total - elapsed).TotalSeconds:0} s left)", percent));
                await Task.Delay(Min(TimeSpan.FromSeconds(1), total - elapsed), token).ConfigureAwait(false);
            }
        }
        finally
        {
            reporter.Progress(new ProgressUpdate(activity, "Waiting for GitHub", "Done", 100, Completed: true));
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>The reset time when the answer is a primary rate limit (403/429 with X-RateLimit-Remaining: 0).</summary>
    internal static DateTimeOffset? PrimaryLimitReset(IResponse response)
    {
        if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests))
        {
            return null;
        }
        if (Header(response, "X-RateLimit-Remaining") != "0")
        {
            return null;
        }
        return long.TryParse(Header(response, "X-RateLimit-Reset"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UtcNow.AddMinutes(1);
    }

    /// <summary>How long to wait when the answer is a secondary rate limit (403/429 with Retry-After).</summary>
    internal static TimeSpan? SecondaryLimitWait(IResponse response)
    {
        if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests))
        {
            return null;
        }
        var retryAfter = Header(response, "Retry-After");
        if (retryAfter is null)
        {
            // GitHub documents a secondary limit without Retry-After: wait at least a minute.
            return response.Body is string body && body.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase)
                ? TimeSpan.FromMinutes(1)
                : null;
        }
        if (int.TryParse(retryAfter, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        }
        return DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at - DateTimeOffset.UtcNow
            : TimeSpan.FromMinutes(1);
    }

    internal static string? Header(IResponse response, string name)
    {
        foreach (var pair in response.Headers)
        {
            if (pair.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }
        return null;
    }
}
