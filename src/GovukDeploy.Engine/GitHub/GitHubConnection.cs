using GovukDeploy.Errors;
using GovukDeploy.Reporting;
using Octokit;
using Octokit.Caching;
using Octokit.Internal;

namespace GovukDeploy.GitHub;

/// <summary>
/// One session's way to GitHub: Octokit over a disk ETag cache, a bounded number of requests in
/// flight, retries of GETs and rate-limit waits. Thread-safe; create one per session and share it.
/// </summary>
public sealed class GitHubConnection : IDisposable
{
    public const string ProductName = "GovukDeploy";

    private readonly object _loginSync = new();
    private Task<string?>? _login;
    private GitHubReleases? _releases;
    private GitHubChanges? _changes;
    private GitHubPullRequests? _pullRequests;
    private GitHubRefs? _refs;
    private GitHubRepositories? _repositories;
    private GitHubReviewApps? _reviewApps;

    private GitHubConnection(GitHubConnectionOptions options, Uri apiBase, IGitHubClient client, IHttpClient http, string? cacheDirectory, GitHubStatistics statistics)
    {
        Statistics = statistics;
        Options = options;
        ApiBase = apiBase;
        Client = client;
        Http = http;
        CacheDirectory = cacheDirectory;
    }

    /// <summary>The REST API's base address, e.g. https://api.github.com/ or http://127.0.0.1:5000/api/v3/.</summary>
    public Uri ApiBase { get; }

    // Internal: it holds the token.
    internal GitHubConnectionOptions Options { get; }

    public bool IsAnonymous => Options.Token is null;

    /// <summary>How many requests may be in flight at once (GitHubThrottleLimit).</summary>
    public int ThrottleLimit => Options.ThrottleLimit;

    /// <summary>This connection's own folder in the response cache (null when caching is off).</summary>
    public string? CacheDirectory { get; }

    public GitHubStatistics Statistics { get; }

    public GitHubReleases Releases => _releases ??= new GitHubReleases(this);
    public GitHubChanges Changes => _changes ??= new GitHubChanges(this);
    public GitHubPullRequests PullRequests => _pullRequests ??= new GitHubPullRequests(this);
    public GitHubRefs Refs => _refs ??= new GitHubRefs(this);
    public GitHubRepositories Repositories => _repositories ??= new GitHubRepositories(this);
    public GitHubReviewApps ReviewApps => _reviewApps ??= new GitHubReviewApps(this);

    internal IGitHubClient Client { get; }
    private IHttpClient Http { get; }

    /// <summary>
    /// Connects (lazily: nothing is sent yet). Without a token, <paramref name="reporter"/> gets one
    /// warning that anonymous access sees only public repositories and is limited to 60 requests an hour.
    /// </summary>
    public static GitHubConnection Create(GitHubConnectionOptions options, IOperationReporter? reporter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var apiBase = GitHubApiAddress.Normalise(options.ApiUrl);
        var token = string.IsNullOrEmpty(options.Token) ? null : options.Token;
        options = token == options.Token ? options : CopyWithoutToken(options);

        var statistics = new GitHubStatistics();
        var adapter = new HttpClientAdapter(() => new SocketsHttpHandler
        {
            // Octokit follows redirects itself; the handler must not.
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseProxy = true,
        });
        IHttpClient http = new GitHubHttpClient(adapter, options, statistics);
        string? cacheDirectory = null;
        if (options.CacheDirectory is { Length: > 0 } root)
        {
            DiskResponseCache.Prune(root, options.Clock.GetCurrentInstant().ToDateTimeUtc());
            var cache = new DiskResponseCache(root, apiBase, token);
            cacheDirectory = cache.Directory;
            http = new CachingHttpClient(http, cache);
        }

        var version = typeof(GitHubConnection).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var credentials = token is null ? Credentials.Anonymous : new Credentials(token);
        var connection = new Octokit.Connection(new ProductHeaderValue(ProductName, version), apiBase,
            new InMemoryCredentialStore(credentials), http, new SimpleJsonSerializer());
        connection.SetRequestTimeout(options.RequestTimeout);
        var client = new GitHubClient(connection);

        if (token is null)
        {
            (reporter ?? NullReporter.Instance).Warning(
                "No GitHub token is set, so requests are anonymous: only public repositories can be read, and GitHub allows " +
                "an anonymous client only 60 requests an hour. Set GITHUB_TOKEN or GH_TOKEN (or give the session a token) for 5,000 an hour.");
        }

        return new GitHubConnection(options, apiBase, client, http, cacheDirectory, statistics);
    }

    /// <summary>The token's user (cached after the first successful call); null when anonymous.</summary>
    public Task<string?> GetCurrentLoginAsync(CancellationToken cancellationToken = default)
    {
        if (IsAnonymous)
        {
            return Task.FromResult<string?>(null);
        }
        lock (_loginSync)
        {
            if (_login is null || _login.IsFaulted || _login.IsCanceled)
            {
                _login = RunAsync<string?>(null, null, cancellationToken, async () => (await Client.User.Current().ConfigureAwait(false)).Login);
            }
            return _login;
        }
    }

    public void Dispose() => Http.Dispose();

    /// <summary>Runs one operation with its reporter and cancellation in scope, translating failures into GovukDeploy errors.</summary>
    internal async Task<T> RunAsync<T>(string? repository, IOperationReporter? reporter, CancellationToken cancellationToken, Func<Task<T>> operation)
    {
        using var scope = GitHubCallContext.Enter(reporter, cancellationToken);
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not GovukDeployException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var translated = GitHubExceptionTranslator.Translate(e, repository, ApiBase);
            if (ReferenceEquals(translated, e))
            {
                throw;
            }
            throw translated;
        }
    }

    internal static (string Owner, string Name) SplitRepository(Application application)
    {
        var parts = application.Repository?.Split('/', StringSplitOptions.TrimEntries) ?? [];
        // Checked again here, as every GitHub URL is built from these two parts: a store written before
        // names were checked (or by hand) must not send the token to /api/v3/x/tags by way of '..'.
        if (parts.Length != 2 || !parts.All(Catalogue.NameRules.IsGitHubName))
        {
            throw ErrorCatalogue.InvalidRepository(application.Repository, application.Name);
        }
        return (parts[0], parts[1]);
    }

    private static GitHubConnectionOptions CopyWithoutToken(GitHubConnectionOptions o) => new()
    {
        ApiUrl = o.ApiUrl, Token = null, CacheDirectory = o.CacheDirectory, ThrottleLimit = o.ThrottleLimit,
        RateLimitWaitLimit = o.RateLimitWaitLimit, RetryAfterLimit = o.RetryAfterLimit, MaxRetries = o.MaxRetries,
        RetryBaseDelay = o.RetryBaseDelay, RequestTimeout = o.RequestTimeout, CheckPollInterval = o.CheckPollInterval, Clock = o.Clock,
    };
}
