using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.GitHub;

public static partial class GitHubRoutes
{
    /// <summary>When every sandbox account says it was made.</summary>
    private static readonly DateTimeOffset AccountsCreated = new(2015, 3, 2, 9, 30, 0, TimeSpan.Zero);

    /// <summary>The API root, users and rate limits.</summary>
    private static void MapRootAndUsers(RouteGroupBuilder api, GitHubStore store, GitHubJson json, GitHubRateLimits limits)
    {
        api.MapGet("/", () => Wire.JsonResult(new Dictionary<string, object?>
        {
            ["current_user_url"] = json.Api + "user",
            ["repository_url"] = json.Api + "repos/{owner}/{repo}",
            ["rate_limit_url"] = json.Api + "rate_limit",
        }));

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
}
