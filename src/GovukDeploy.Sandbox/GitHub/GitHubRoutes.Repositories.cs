using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.GitHub;

public static partial class GitHubRoutes
{
    /// <summary>Repositories: one by name, and an organisation's list.</summary>
    private static void MapRepositories(RouteGroupBuilder api, RouteGroupBuilder repo, GitHubStore store, GitHubJson json)
    {
        api.MapGet("/orgs/{org}/repos", (HttpContext ctx, string org) =>
        {
            var user = GitHubGateway.CurrentUser(ctx);
            var repos = store.Repositories().Where(r => r.Owner.Login.Equals(org, StringComparison.OrdinalIgnoreCase) && store.CanSee(user, r)).ToList();
            if (repos.Count == 0 && store.FindUser(org) is null)
            {
                return NotFound(Docs + "/repos/repos#list-organization-repositories");
            }
            lock (store.Sync)
            {
                return Wire.JsonResult(Pagination.Page(ctx, repos).Select(r => json.Repository(r, full: false)).ToList());
            }
        });

        repo.MapGet("", (string owner, string name) =>
            WithRepo(store, owner, name, r => Wire.JsonResult(json.Repository(r))));
    }
}
