using System.Net;
using System.Text.Json;
using GovukDeploy.Errors;
using Polly;
using Polly.Retry;
using RestSharp;
using RestSharp.Authenticators;

namespace GovukDeploy.Jenkins;

/// <summary>
/// How a <see cref="JenkinsClient"/> talks to one Jenkins: the HTTP client and its sign-in (API token, or
/// a crumb and its session cookie), retries of reads with jittered backoff, and the mapping of transport
/// failures and status codes to the module's errors. It knows nothing of jobs, queues or builds.
/// </summary>
internal sealed class JenkinsTransport : IDisposable
{
    private readonly RestClient _rest;
    private readonly CookieContainer _cookies = new();
    private readonly JenkinsConnection _connection;
    private readonly JenkinsClientOptions _options;
    private readonly ResiliencePipeline _readRetry;
    private readonly SemaphoreSlim _crumbLock = new(1, 1);
    private (string Field, string Value)? _crumb;

    public JenkinsTransport(JenkinsConnection connection, string environment, JenkinsClientOptions options)
    {
        _connection = connection;
        _options = options;
        Environment = environment;
        BaseUrl = connection.BaseUrlFor(environment);
        var restOptions = new RestClientOptions(BaseUrl)
        {
            Timeout = _options.RequestTimeout,
            FollowRedirects = false,
            ThrowOnAnyError = false,
            CookieContainer = _cookies,
            UserAgent = "GovukDeploy",
        };
        if (connection.UsesApiToken)
        {
            restOptions.Authenticator = new HttpBasicAuthenticator(connection.User!, connection.ApiToken!.Reveal());
        }
        if (_options.WrapHandler is { } wrap)
        {
            restOptions.ConfigureMessageHandler = wrap;
        }
        _rest = new RestClient(restOptions);
        _readRetry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TransientJenkinsException>(),
                MaxRetryAttempts = Math.Max(1, _options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryDelay,
                MaxDelay = _options.MaxRetryDelay,
            })
            .Build();
    }

    public string Environment { get; }
    public Uri BaseUrl { get; }

    /// <summary>A GET with retries; null on 404.</summary>
    public Task<JsonDocument?> GetJsonAsync(string resource, string what, CancellationToken cancellationToken) =>
        ReadAsync(async token =>
        {
            var response = await ExecuteReadAsync(new RestRequest(resource), what, token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            try
            {
                return JsonDocument.Parse(response.RawBytes ?? []);
            }
            catch (JsonException)
            {
                // A proxy's HTML error page in place of JSON: treat like a 5xx.
                throw new TransientJenkinsException($"{what}: the answer was not JSON");
            }
        }, cancellationToken);

    public async Task<T> ReadAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await _readRetry.ExecuteAsync(async token => await read(token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (TransientJenkinsException e)
        {
            throw ErrorCatalogue.JenkinsUnreachable(BaseUrl, e.Message, e);
        }
    }

    /// <summary>Sends a read; transient failures throw TransientJenkinsException for the retry to catch.</summary>
    public async Task<RestResponse> ExecuteReadAsync(RestRequest request, string what, CancellationToken cancellationToken)
    {
        var response = await _rest.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfTransientOrAuth(response, what);
        return response;
    }

    private void ThrowIfTransientOrAuth(RestResponse response, string what)
    {
        // RestSharp marks any non-2xx as an error too; only a missing status means no answer arrived.
        if (response.StatusCode == 0)
        {
            throw new TransientJenkinsException($"{what}: {(response.ResponseStatus == ResponseStatus.TimedOut ? "no answer in time" : "the connection failed")}", response.ErrorException);
        }

        var status = (int)response.StatusCode;
        if (status >= 500 || status == 429)
        {
            throw new TransientJenkinsException($"{what}: HTTP {status}");
        }

        if (status == 401)
        {
            throw ErrorCatalogue.JenkinsAuthenticationFailed(BaseUrl);
        }
    }

    /// <summary>
    /// A POST with the crumb when there is no API token. A 403 with a crumb means the crumb (or its
    /// session) expired: fetch a fresh one, in a fresh session, and send once more — safe, because
    /// Jenkins acted on nothing. Transport failures and 5xx throw TransientJenkinsException: the
    /// caller decides what an unknown outcome means.
    /// </summary>
    public async Task<RestResponse> PostAsync(string resource, IReadOnlyDictionary<string, string> form, string what, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? query = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var request = new RestRequest(resource, Method.Post) { AlwaysMultipartFormData = false };
            foreach (var (name, value) in query ?? new Dictionary<string, string>())
            {
                request.AddQueryParameter(name, value);
            }

            foreach (var (name, value) in form)
            {
                request.AddParameter(name, value, ParameterType.GetOrPost);
            }

            if (form.Count == 0)
            {
                request.AddStringBody("", ContentType.FormUrlEncoded);
            }

            (string Field, string Value)? crumb = _connection.UsesApiToken ? null : await GetCrumbAsync(refresh: attempt > 0, cancellationToken).ConfigureAwait(false);
            if (crumb is { } c)
            {
                request.AddHeader(c.Field, c.Value);
            }

            var response = await _rest.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfTransientOrAuth(response, what);
            if (response.StatusCode == HttpStatusCode.Forbidden && crumb is not null && attempt == 0)
            {
                continue;
            }

            return response;
        }
    }

    private async Task<(string Field, string Value)> GetCrumbAsync(bool refresh, CancellationToken cancellationToken)
    {
        await _crumbLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (refresh)
            {
                // A crumb lives and dies with its session: drop both and start a new session.
                foreach (Cookie cookie in _cookies.GetCookies(BaseUrl))
                {
                    cookie.Expired = true;
                }

                _crumb = null;
            }

            if (_crumb is { } known)
            {
                return known;
            }

            using var json = await GetJsonAsync("crumbIssuer/api/json", "fetching a crumb", cancellationToken).ConfigureAwait(false)
                ?? throw ErrorCatalogue.JenkinsPermissionDenied(BaseUrl, "issuing a crumb (CSRF protection is off or hidden)");
            var root = json.RootElement;
            var fresh = (root.GetProperty("crumbRequestField").GetString()!, root.GetProperty("crumb").GetString()!);
            _crumb = fresh;
            return fresh;
        }
        finally
        {
            _crumbLock.Release();
        }
    }

    public static string? Header(RestResponse response, string name) =>
        response.Headers?.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value?.ToString()
        ?? response.ContentHeaders?.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value?.ToString();

    /// <summary>A URL of this Jenkins made relative to its base, so that requests keep its auth and cookies.</summary>
    public string Relative(string url)
    {
        var absolute = new Uri(BaseUrl, url);
        var relative = BaseUrl.MakeRelativeUri(absolute).ToString();
        if (relative.StartsWith("..", StringComparison.Ordinal) || Uri.IsWellFormedUriString(relative, UriKind.Absolute))
        {
            // Jenkins builds its URLs from its own idea of its root URL, which behind a proxy is often wrong:
            // keep the part from /job/ (or /queue/) on, and put it under the address we were given.
            var path = absolute.AbsolutePath;
            var at = path.IndexOf("/job/", StringComparison.Ordinal);
            at = at >= 0 ? at : path.IndexOf("/queue/", StringComparison.Ordinal);
            relative = at >= 0 ? path[(at + 1)..] : relative;
        }

        if (relative.StartsWith("..", StringComparison.Ordinal) || Uri.IsWellFormedUriString(relative, UriKind.Absolute))
        {
            throw ErrorCatalogue.JenkinsUrlMismatch(url, Environment, BaseUrl);
        }

        return relative.EndsWith('/') ? relative : relative + "/";
    }

    public void Dispose()
    {
        _rest.Dispose();
        _crumbLock.Dispose();
    }
}

/// <summary>A failure worth retrying (5xx, timeout, dropped connection) whose outcome, for a POST, is unknown.</summary>
internal sealed class TransientJenkinsException(string message, Exception? inner = null) : Exception(message, inner);
