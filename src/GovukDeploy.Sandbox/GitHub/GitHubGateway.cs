using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using GovukDeploy.Sandbox.Faults;
using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.GitHub;

/// <summary>
/// What GitHub does around every REST call: request ids, authentication, the primary
/// and secondary rate limits, ETags with conditional requests (a 304 is not counted)
/// and the X-RateLimit-* headers.
/// </summary>
public sealed class GitHubGateway
{
    public const string UserItem = "github.user";
    private const string RateLimitDocs = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

    private readonly RequestDelegate _next;
    private readonly GitHubStore _store;
    private readonly GitHubRateLimits _limits;
    private readonly FaultBoard _faults;

    public GitHubGateway(RequestDelegate next, GitHubStore store, GitHubRateLimits limits, FaultBoard faults)
    {
        _next = next;
        _store = store;
        _limits = limits;
        _faults = faults;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api/v3"))
        {
            await _next(context);
            return;
        }

        var response = context.Response;
        response.Headers.Server = "GitHub.com";
        response.Headers["X-GitHub-Request-Id"] = RequestId();
        response.Headers["X-GitHub-Media-Type"] = "github.v3; format=json";
        response.Headers["X-GitHub-Api-Version-Selected"] = "2022-11-28";

        var (user, badCredentials) = Authenticate(context.Request);
        if (badCredentials)
        {
            await Error(context, 401, "Bad credentials");
            return;
        }
        context.Items[UserItem] = user;
        if (user is not null)
        {
            response.Headers["X-OAuth-Scopes"] = "repo, read:org";
        }

        var bucketKey = user is null ? "anonymous:" + context.Connection.RemoteIpAddress : "user:" + user.Login;
        var limit = user is null ? GitHubRateLimits.AnonymousLimit : GitHubRateLimits.AuthenticatedLimit;
        var isRateLimitCall = context.Request.Path.Equals("/api/v3/rate_limit", StringComparison.OrdinalIgnoreCase);
        var snapshot = _limits.Peek(bucketKey, limit);

        if (_faults.Peek("github", "primary-rate-limit") is { Until: { } until } && !isRateLimitCall)
        {
            WriteRateHeaders(response, new RateLimitSnapshot(limit, limit, until));
            await Error(context, 403, PrimaryMessage(user, context), RateLimitDocs + "#about-the-primary-rate-limit");
            return;
        }

        if (snapshot.Remaining == 0 && !isRateLimitCall)
        {
            WriteRateHeaders(response, snapshot);
            await Error(context, 403, PrimaryMessage(user, context), RateLimitDocs + "#about-the-primary-rate-limit");
            return;
        }

        if (!isRateLimitCall && _faults.Take("github", "secondary-rate-limit") is { } secondary)
        {
            WriteRateHeaders(response, snapshot);
            response.Headers.RetryAfter = (secondary.RetryAfterSeconds ?? 60).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Error(context, secondary.Status ?? 403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
                "If you reach out to GitHub Support for help, please include the request ID.",
                RateLimitDocs + "#about-secondary-rate-limits");
            return;
        }

        if (!isRateLimitCall && HiddenRepository(context.Request, user))
        {
            // GitHub answers 404, not 403, for a private repository the caller may not see: it never says it exists.
            WriteRateHeaders(response, _limits.Count(bucketKey, limit));
            await Error(context, 404, "Not Found", "https://docs.github.com/rest/repos/repos#get-a-repository");
            return;
        }

        // Buffer the answer so the ETag can be computed and a 304 sent instead.
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await _next(context);
        }
        finally
        {
            response.Body = original;
        }

        var body = buffer.ToArray();
        var isGet = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        if (isGet && response.StatusCode == 200)
        {
            var etag = "W/\"" + Convert.ToHexString(SHA256.HashData(body)).ToLowerInvariant()[..40] + "\"";
            response.Headers.ETag = etag;
            response.Headers.CacheControl = user is null ? "public, max-age=60, s-maxage=60" : "private, max-age=60, s-maxage=60";
            response.Headers.Vary = "Accept, Authorization, Cookie, X-GitHub-OTP";
            if (!isRateLimitCall && IfNoneMatch(context.Request, etag))
            {
                // GitHub does not charge a conditional request that answers 304.
                WriteRateHeaders(response, _limits.Peek(bucketKey, limit));
                response.StatusCode = StatusCodes.Status304NotModified;
                response.ContentLength = 0;
                response.Headers.ContentType = default;
                return;
            }
        }

        WriteRateHeaders(response, isRateLimitCall ? _limits.Peek(bucketKey, limit) : _limits.Count(bucketKey, limit));
        response.ContentLength = body.Length;
        if (body.Length > 0)
        {
            await original.WriteAsync(body, context.RequestAborted);
        }
    }

    public static GitHubUser? CurrentUser(HttpContext context) => context.Items[UserItem] as GitHubUser;

    public static Task Error(HttpContext context, int status, string message, string documentation = "https://docs.github.com/rest")
    {
        context.Response.StatusCode = status;
        var body = new Dictionary<string, object?>
        {
            ["message"] = message,
            ["documentation_url"] = documentation,
            ["status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return context.Response.WriteAsJsonAsync(body, Wire.Json, "application/json; charset=utf-8");
    }

    private static string PrimaryMessage(GitHubUser? user, HttpContext context) =>
        user is null
            ? $"API rate limit exceeded for {context.Connection.RemoteIpAddress}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
            : $"API rate limit exceeded for user ID {user.Id}.";

    private static void WriteRateHeaders(HttpResponse response, RateLimitSnapshot snapshot)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        response.Headers["X-RateLimit-Limit"] = snapshot.Limit.ToString(inv);
        response.Headers["X-RateLimit-Remaining"] = snapshot.Remaining.ToString(inv);
        response.Headers["X-RateLimit-Used"] = snapshot.Used.ToString(inv);
        response.Headers["X-RateLimit-Reset"] = snapshot.Reset.ToString(inv);
        response.Headers["X-RateLimit-Resource"] = "core";
    }

    /// <summary>A request under /repos/{owner}/{name}/ for a private repository the user may not see.</summary>
    private bool HiddenRepository(HttpRequest request, GitHubUser? user)
    {
        var segments = request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        // api, v3, repos, owner, name, ...
        if (segments.Length < 5 || !segments[2].Equals("repos", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var repo = _store.FindRepository(Uri.UnescapeDataString(segments[3]), Uri.UnescapeDataString(segments[4]));
        return repo is not null && !_store.CanSee(user, repo);
    }

    private (GitHubUser? User, bool Bad) Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return (null, false);
        }
        if (!AuthenticationHeaderValue.TryParse(header, out var parsed) || string.IsNullOrEmpty(parsed.Parameter))
        {
            return (null, true);
        }

        string token;
        switch (parsed.Scheme.ToLowerInvariant())
        {
            case "token":
            case "bearer":
                token = parsed.Parameter;
                break;
            case "basic":
                // Basic user:token is what git and some clients send.
                try
                {
                    var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parsed.Parameter));
                    token = decoded[(decoded.IndexOf(':') + 1)..];
                }
                catch (FormatException)
                {
                    return (null, true);
                }
                break;
            default:
                return (null, true);
        }

        var user = _store.UserForToken(token);
        return (user, user is null);
    }

    private static bool IfNoneMatch(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }
        static string Strip(string tag) => tag.Trim().StartsWith("W/", StringComparison.Ordinal) ? tag.Trim()[2..] : tag.Trim();
        var wanted = Strip(etag);
        return header.Split(',').Any(t => t.Trim() == "*" || Strip(t) == wanted);
    }

    private static string RequestId()
    {
        var bytes = RandomNumberGenerator.GetBytes(10);
        var hex = Convert.ToHexString(bytes);
        return $"{hex[..4]}:{hex[4..8]}:{hex[8..14]}:{hex[14..20]}:{hex[..8]}";
    }
}
