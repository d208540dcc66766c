namespace GovukDeploy.Errors;

/// <summary>GitHub: repositories, releases, pull requests and commits. Messages never contain the token.</summary>
public static partial class ErrorCatalogue
{
    public static GovukDeployException InvalidGitHubApiUrl(string? address) => new(
        nameof(InvalidGitHubApiUrl), ErrorKind.InvalidArgument,
        $"'{address}' is not an http(s) address. Give GitHub's API address (https://api.github.com/) or a GitHub Enterprise server's address (https://github.example.com/ or https://github.example.com/api/v3/).",
        address);

    /// <summary>A repository that is not owner/name as GitHub allows them, given as input or found in the catalogue.</summary>
    public static GovukDeployException InvalidRepository(string? repository, string? application = null) => new(
        nameof(InvalidRepository), ErrorKind.InvalidArgument,
        $"'{Shortened(repository)}'{(application is null ? "" : $" (the repository of {application})")} is not a GitHub repository: give it as owner/name " +
        $"({Catalogue.NameRules.GitHubNameRule} each), e.g. alphagov/whitehall" +
        (application is null ? "." : $", with Set-Application -Name {application} -Repository owner/name."),
        Shortened(repository));

    public static GovukDeployException InvalidReleaseTagPattern(string? pattern) => new(
        nameof(InvalidReleaseTagPattern), ErrorKind.InvalidArgument,
        $"'{pattern}' is not a release tag pattern: it needs one * where the release number goes, e.g. release_* or v*.", pattern);

    public static GovukDeployException InvalidFirst(int? first) => new(
        nameof(InvalidFirst), ErrorKind.InvalidArgument, $"-First must be 1 or more, not {first}.", first);

    public static GovukDeployException RepositoryNotFound(string repository, Exception? inner = null) => new(
        nameof(RepositoryNotFound), ErrorKind.ObjectNotFound,
        $"GitHub answered 404 Not Found for the repository '{repository}': it may be private and the token may lack access to it " +
        "(GitHub answers so for a private repository, rather than saying it exists), or it may not exist. Check that the token " +
        "(GITHUB_TOKEN or GH_TOKEN) has access to it, and the application's Repository (owner/name).",
        repository, inner);

    public static GovukDeployException GitHubAuthenticationFailed(Uri apiBase, Exception? inner = null) => new(
        nameof(GitHubAuthenticationFailed), ErrorKind.AuthenticationError,
        $"GitHub at {apiBase} rejected the token (401 Bad credentials). It may be mistyped, expired or revoked: " +
        "set a valid one in GITHUB_TOKEN or GH_TOKEN (or give the session a new one), or unset it to work anonymously with public repositories.",
        apiBase.ToString(), inner);

    /// <summary><paramref name="method"/> is the write that was not sent again, or null when the wait would have been too long.</summary>
    public static GovukDeployException GitHubRateLimitExceeded(DateTimeOffset reset, string? method) => new(
        nameof(GitHubRateLimitExceeded), ErrorKind.LimitsExceeded,
        $"GitHub's rate limit is used up until {reset.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC" +
        (method is null ? ", later than the configured wait allows" : $"; the {method} request was not sent again") +
        ". Try again after the reset, or use a token (anonymous requests are limited to 60 an hour).",
        reset);

    public static GovukDeployException GitHubSecondaryRateLimit(TimeSpan retryAfter, string? method) => new(
        nameof(GitHubSecondaryRateLimit), ErrorKind.LimitsExceeded,
        $"GitHub's secondary rate limit asked us to wait {retryAfter.TotalSeconds:0} s" +
        (method is null ? ", longer than the configured wait allows" : $"; the {method} request was not sent again") +
        ". Send fewer requests at once (lower GitHubThrottleLimit) and try again later.",
        retryAfter);

    public static GovukDeployException GitHubForbidden(string? repository, string why, Exception? inner = null) => new(
        nameof(GitHubForbidden), ErrorKind.PermissionDenied,
        $"GitHub refused the request{For(repository)}: {why} Check the token's scopes and the repository's permissions.",
        repository, inner);

    public static GovukDeployException GitHubUnavailable(int status, string statusName, string? repository, string why, Exception? inner = null) => new(
        nameof(GitHubUnavailable), ErrorKind.ResourceUnavailable,
        $"GitHub answered {status} {statusName}{For(repository)} (reads are retried a few times first; writes never are): {why} Try again in a few minutes.",
        repository, inner);

    public static GovukDeployException GitHubRequestFailed(int status, string statusName, string? repository, string why, Exception? inner = null) => new(
        nameof(GitHubRequestFailed), ErrorKind.InvalidResult,
        $"GitHub answered {status} {statusName}{For(repository)}: {why} Check what was asked of it; if it looks right, try again later.",
        repository, inner);

    public static GovukDeployException GitHubUnreachable(Uri apiBase, string? repository, string why, Exception? inner = null) => new(
        nameof(GitHubUnreachable), ErrorKind.ConnectionError,
        $"Could not reach GitHub at {apiBase}{For(repository)} after retries ({why}). Check the address (GitHubApiUrl), the network and any proxy.",
        apiBase.ToString(), inner);

    public static GovukDeployException GitHubWriteInterrupted(string method, string endpoint, Exception? inner = null) => new(
        nameof(GitHubWriteInterrupted), ErrorKind.ConnectionError,
        $"The connection to GitHub failed during {method} {endpoint}, so it is not known whether GitHub acted on it. " +
        "It was not retried; check on GitHub (for a merge, whether the pull request is merged) before trying again.",
        endpoint, inner);

    private static string For(string? repository) => repository is null ? "" : $" for {repository}";

    // ---------------------------------------------------------------- releases, commits, pull requests

    public static GovukDeployException NoReleases(Application application) => new(
        nameof(NoReleases), ErrorKind.ObjectNotFound,
        $"{application.Name} ({application.Repository}) has no release tags matching its release tag pattern '{application.ReleaseTagPattern}', so there is no release to use. " +
        "Give -Release (or -Branch to deploy to the first environment), or check the pattern with Get-Application.",
        application.Name);

    public static GovukDeployException CompareRefNotFound(string repository, string deployed, string head, string environment) => new(
        nameof(CompareRefNotFound), ErrorKind.ObjectNotFound,
        $"GitHub cannot compare '{deployed}' with '{head}' in {repository}: one of them does not exist there. Check the release tag and what {environment} runs.",
        $"{deployed}...{head}");

    public static GovukDeployException CommitNotFound(string repository, string sha, Exception? inner = null) => new(
        nameof(CommitNotFound), ErrorKind.ObjectNotFound,
        $"{repository} has no commit '{sha}'. Give the merge commit's SHA (Merge-PullRequest returns it as Sha), or -PullRequest.",
        sha, inner);

    public static GovukDeployException PullRequestNotFound(Application application, int number) => new(
        nameof(PullRequestNotFound), ErrorKind.ObjectNotFound,
        $"{application.Repository} has no pull request #{number}. List them with Get-PullRequest -Application {application.Name} -State All.",
        number);

    /// <summary><paramref name="advice"/> says what to do for the state it is in (closed unmerged, or still open).</summary>
    public static GovukDeployException PullRequestNotMerged(string application, int number, string? title, string state, string advice) => new(
        nameof(PullRequestNotMerged), ErrorKind.InvalidOperation,
        $"{application} #{number} ({title}) is {state}, so no release will contain it. {advice}",
        number);

    public static GovukDeployException PullRequestCheckTimeout(string application, int number, TimeSpan timeout, string running, object? target) => new(
        nameof(PullRequestCheckTimeout), ErrorKind.OperationTimeout,
        $"CI on {application} #{number} was still pending after {timeout}" +
        (running.Length > 0 ? $" (still running: {running})" : " (no check has reported yet)") +
        ". Wait longer with -Timeout, or look at the checks on GitHub.",
        target);

    public static GovukDeployException PullRequestNotReady(string application, int number, IEnumerable<string> problems, object? target) => new(
        nameof(PullRequestNotReady), ErrorKind.InvalidOperation,
        $"{application} #{number} cannot be merged yet: {string.Join("; ", problems)}.", target);

    public static GovukDeployException PullRequestHeadChanged(string application, int number, string verifiedSha, object? target, Exception? inner = null) => new(
        nameof(PullRequestHeadChanged), ErrorKind.InvalidOperation,
        $"{application} #{number} was not merged: its branch moved on from {ShortSha(verifiedSha)}, the commit whose checks and reviews were verified. " +
        "Wait for CI on the new commit (Wait-PullRequestCheck) and merge again.",
        target, inner);

    public static GovukDeployException PullRequestNotMergeable(string application, int number, string why, object? target, Exception? inner = null) => new(
        nameof(PullRequestNotMergeable), ErrorKind.InvalidOperation,
        $"GitHub refused to merge {application} #{number}: {why} Check the branch protection rules on GitHub.",
        target, inner);
}
