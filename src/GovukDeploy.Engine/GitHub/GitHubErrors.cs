using GovukDeploy.Errors;
using Octokit;

namespace GovukDeploy.GitHub;

/// <summary>Turns what Octokit and the HTTP layer throw into GovukDeploy errors with stable ids. Messages never contain the token.</summary>
internal static class GitHubErrors
{
    public static GovukDeployException RepositoryNotFound(string repository, Exception? inner = null) => new(
        "RepositoryNotFound", ErrorKind.ObjectNotFound,
        $"GitHub answered 404 Not Found for the repository '{repository}': it may be private and the token may lack access to it " +
        "(GitHub answers so for a private repository, rather than saying it exists), or it may not exist. Check that the token " +
        "(GITHUB_TOKEN or GH_TOKEN) has access to it, and the application's Repository (owner/name).",
        repository, inner);

    public static GovukDeployException AuthenticationFailed(Uri apiBase, Exception? inner = null) => new(
        "GitHubAuthenticationFailed", ErrorKind.AuthenticationError,
        $"GitHub at {apiBase} rejected the token (401 Bad credentials). It may be mistyped, expired or revoked: " +
        "set a valid one in GITHUB_TOKEN or GH_TOKEN (or give the session a new one), or unset it to work anonymously with public repositories.",
        apiBase.ToString(), inner);

    public static GovukDeployException PrimaryRateLimit(DateTimeOffset reset, string? method) => new(
        "GitHubRateLimitExceeded", ErrorKind.LimitsExceeded,
        $"GitHub's rate limit is used up until {reset.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC" +
        (method is null ? ", later than the configured wait allows" : $"; the {method} request was not sent again") +
        ". Try again after the reset, or use a token (anonymous requests are limited to 60 an hour).",
        reset);

    public static GovukDeployException SecondaryRateLimit(TimeSpan retryAfter, string? method) => new(
        "GitHubSecondaryRateLimit", ErrorKind.LimitsExceeded,
        $"GitHub's secondary rate limit asked us to wait {retryAfter.TotalSeconds:0} s" +
        (method is null ? ", longer than the configured wait allows" : $"; the {method} request was not sent again") +
        ". Send fewer requests at once (lower GitHubThrottleLimit) and try again later.",
        retryAfter);

    /// <summary>Anything else Octokit or the network threw, for an operation on <paramref name="repository"/>.</summary>
    public static Exception Translate(Exception e, string? repository, Uri apiBase)
    {
        switch (e)
        {
            case GovukDeployException or OperationCanceledException when e is not TaskCanceledException { InnerException: TimeoutException }:
                return e;
            case AuthorizationException:
                return AuthenticationFailed(apiBase, e);
            case NotFoundException when repository is not null:
                return RepositoryNotFound(repository, e);
            case RateLimitExceededException limit:
                return PrimaryRateLimit(limit.Reset, null);
            case SecondaryRateLimitExceededException:
                return SecondaryRateLimit(TimeSpan.FromMinutes(1), null);
            case ForbiddenException forbidden:
                return new GovukDeployException("GitHubForbidden", ErrorKind.PermissionDenied,
                    $"GitHub refused the request{For(repository)}: {forbidden.Message} Check the token's scopes and the repository's permissions.",
                    repository, e);
            case ApiException api when (int)api.StatusCode >= 500:
                return new GovukDeployException("GitHubUnavailable", ErrorKind.ResourceUnavailable,
                    $"GitHub answered {(int)api.StatusCode} {api.StatusCode}{For(repository)} (reads are retried a few times first; writes never are): {api.Message} Try again in a few minutes.",
                    repository, e);
            case ApiException api:
                return new GovukDeployException("GitHubRequestFailed", ErrorKind.InvalidResult,
                    $"GitHub answered {(int)api.StatusCode} {api.StatusCode}{For(repository)}: {api.Message}",
                    repository, e);
            case HttpRequestException or IOException or TaskCanceledException:
                return new GovukDeployException("GitHubUnreachable", ErrorKind.ConnectionError,
                    $"Could not reach GitHub at {apiBase}{For(repository)} after retries ({e.Message}). Check the address (GitHubApiUrl), the network and any proxy.",
                    apiBase.ToString(), e);
            default:
                return e;
        }
    }

    private static string For(string? repository) => repository is null ? "" : $" for {repository}";
}
