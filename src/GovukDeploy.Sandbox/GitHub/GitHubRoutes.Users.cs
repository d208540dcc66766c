using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.GitHub;

public static partial class GitHubRoutes
{
    /// <summary>When every sandbox account says it was made.</summary>
    private static readonly DateTimeOffset AccountsCreated = new(2015, 3, 2, 9, 30, 0, TimeSpan.Zero);

    /// <summary>The API root, users and rate limits.</summary>
    private static void MapRootAndUsers(RouteGroupBuilder api, GitHubStore store, GitHubJson json, GitHubRateLimits limits)
    {
        api.MapGet("/", () => Wire.JsonResult(RootJson(json.Api)));

        api.MapGet("/user", (HttpContext ctx) =>
        {
            var user = GitHubGateway.CurrentUser(ctx);
            return user is null
                ? Fail(401, "Requires authentication", Docs + "/users/users#get-the-authenticated-user")
                : Wire.JsonResult(json.AuthenticatedUser(user, AccountsCreated));
        });

        api.MapGet("/users/{login}", (string login) =>
            store.FindUser(login) is { } user ? Wire.JsonResult(json.PublicUser(user, AccountsCreated)) : NotFound(Docs + "/users/users#get-a-user"));

        api.MapGet("/rate_limit", (HttpContext ctx) =>
        {
            var user = GitHubGateway.CurrentUser(ctx);
            var snapshot = user is null
                ? limits.Peek("anonymous:" + ctx.Connection.RemoteIpAddress, GitHubRateLimits.AnonymousLimit)
                : limits.Peek("user:" + user.Login, GitHubRateLimits.AuthenticatedLimit);
            var core = RateJson(snapshot, "core");
            return Wire.JsonResult(new Dictionary<string, object?>
            {
                ["resources"] = new Dictionary<string, object?>
                {
                    ["core"] = core,
                    ["search"] = RateJson(new RateLimitSnapshot(user is null ? 10 : 30, 0, DateTimeOffset.UtcNow.AddMinutes(1)), "search"),
                    ["graphql"] = RateJson(new RateLimitSnapshot(user is null ? 0 : 5000, 0, snapshot.ResetAt), "graphql"),
                },
                ["rate"] = core,
            });
        });
    }

    private static Dictionary<string, object?> RateJson(RateLimitSnapshot s, string resource) => new()
    {
        ["limit"] = s.Limit,
        ["used"] = s.Used,
        ["remaining"] = s.Remaining,
        ["reset"] = s.Reset,
        ["resource"] = resource,
    };

    /// <summary>The REST root: where each part of the API is, as GitHub lists it.</summary>
    private static Dictionary<string, object?> RootJson(string api) => new()
    {
        ["current_user_url"] = api + "user",
        ["current_user_authorizations_html_url"] = api.Replace("api/v3/", "", StringComparison.Ordinal) + "settings/connections/applications{/client_id}",
        ["authorizations_url"] = api + "authorizations",
        ["code_search_url"] = api + "search/code?q={query}{&page,per_page,sort,order}",
        ["commit_search_url"] = api + "search/commits?q={query}{&page,per_page,sort,order}",
        ["emails_url"] = api + "user/emails",
        ["emojis_url"] = api + "emojis",
        ["events_url"] = api + "events",
        ["feeds_url"] = api + "feeds",
        ["followers_url"] = api + "user/followers",
        ["following_url"] = api + "user/following{/target}",
        ["gists_url"] = api + "gists{/gist_id}",
        ["hub_url"] = api + "hub",
        ["issue_search_url"] = api + "search/issues?q={query}{&page,per_page,sort,order}",
        ["issues_url"] = api + "issues",
        ["keys_url"] = api + "user/keys",
        ["label_search_url"] = api + "search/labels?q={query}&repository_id={repository_id}{&page,per_page}",
        ["notifications_url"] = api + "notifications",
        ["organization_url"] = api + "orgs/{org}",
        ["organization_repositories_url"] = api + "orgs/{org}/repos{?type,page,per_page,sort}",
        ["organization_teams_url"] = api + "orgs/{org}/teams",
        ["public_gists_url"] = api + "gists/public",
        ["rate_limit_url"] = api + "rate_limit",
        ["repository_url"] = api + "repos/{owner}/{repo}",
        ["repository_search_url"] = api + "search/repositories?q={query}{&page,per_page,sort,order}",
        ["current_user_repositories_url"] = api + "user/repos{?type,page,per_page,sort}",
        ["starred_url"] = api + "user/starred{/owner}{/repo}",
        ["starred_gists_url"] = api + "gists/starred",
        ["user_url"] = api + "users/{user}",
        ["user_organizations_url"] = api + "user/orgs",
        ["user_repositories_url"] = api + "users/{user}/repos{?type,page,per_page,sort}",
        ["user_search_url"] = api + "search/users?q={query}{&page,per_page,sort,order}",
    };
}
