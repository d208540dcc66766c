using GovukDeploy.Errors;
using Octokit;

namespace GovukDeploy.GitHub;

/// <summary>Turns what Octokit and the HTTP layer throw into the catalogue's GitHub errors (ErrorCatalogue). Messages never contain the token.</summary>
internal static class GitHubExceptionTranslator
{
    /// <summary>Anything else Octokit or the network threw, for an operation on <paramref name="repository"/>.</summary>
    public static Exception Translate(Exception e, string? repository, Uri apiBase)
    {
        switch (e)
        {
            case GovukDeployException or OperationCanceledException when e is not TaskCanceledException { InnerException: TimeoutException }:
                return e;
            case AuthorizationException:
                return ErrorCatalogue.GitHubAuthenticationFailed(apiBase, e);
            case NotFoundException when repository is not null:
                return ErrorCatalogue.RepositoryNotFound(repository, e);
            case RateLimitExceededException limit:
                return ErrorCatalogue.GitHubRateLimitExceeded(limit.Reset, null);
            case SecondaryRateLimitExceededException:
                return ErrorCatalogue.GitHubSecondaryRateLimit(TimeSpan.FromMinutes(1), null);
            case ForbiddenException forbidden:
                return ErrorCatalogue.GitHubForbidden(repository, forbidden.Message, e);
            case ApiException api when (int)api.StatusCode >= 500:
                return ErrorCatalogue.GitHubUnavailable((int)api.StatusCode, api.StatusCode.ToString(), repository, api.Message, e);
            case ApiException api:
                return ErrorCatalogue.GitHubRequestFailed((int)api.StatusCode, api.StatusCode.ToString(), repository, api.Message, e);
            case HttpRequestException or IOException or TaskCanceledException:
                return ErrorCatalogue.GitHubUnreachable(apiBase, repository, e.Message, e);
            default:
                return e;
        }
    }
}
