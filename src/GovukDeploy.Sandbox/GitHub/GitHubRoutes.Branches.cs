using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.GitHub;

public static partial class GitHubRoutes
{
    /// <summary>Branches and their protection summary.</summary>
    private static void MapBranches(RouteGroupBuilder repo, GitHubStore store, GitHubJson json)
    {
        repo.MapGet("/branches", (HttpContext ctx, string owner, string name) =>
            WithRepo(store, owner, name, r =>
                Wire.JsonResult(Pagination.Page(ctx, r.Branches.OrderBy(b => b.Key, StringComparer.Ordinal).ToList())
                    .Select(b => new Dictionary<string, object?>
                    {
                        ["name"] = b.Key,
                        ["commit"] = json.CommitSummary(r, r.Commits[b.Value]),
                        ["protected"] = b.Key == r.DefaultBranch,
                    }).ToList())));

        repo.MapGet("/branches/{**branch}", (string owner, string name, string branch) =>
            WithRepo(store, owner, name, r =>
            {
                if (!r.Branches.TryGetValue(branch, out var sha))
                {
                    return Fail(404, "Branch not found", Docs + "/branches/branches#get-a-branch");
                }
                var url = $"{json.RepoUrl(r)}/branches/{branch}";
                return Wire.JsonResult(new Dictionary<string, object?>
                {
                    ["name"] = branch,
                    ["commit"] = json.Commit(r, r.Commits[sha]),
                    ["_links"] = new Dictionary<string, object?> { ["self"] = url, ["html"] = $"{json.Html}{r.FullName}/tree/{branch}" },
                    ["protected"] = branch == r.DefaultBranch,
                    ["protection"] = new Dictionary<string, object?>
                    {
                        ["enabled"] = branch == r.DefaultBranch,
                        ["required_status_checks"] = new Dictionary<string, object?>
                        {
                            ["enforcement_level"] = branch == r.DefaultBranch ? "everyone" : "off",
                            ["contexts"] = branch == r.DefaultBranch ? new[] { GitHubStore.PullRequestContext } : Array.Empty<string>(),
                        ["checks"] = (branch == r.DefaultBranch ? new[] { GitHubStore.PullRequestContext } : Array.Empty<string>())
                            .Select(c => new Dictionary<string, object?> { ["context"] = c, ["app_id"] = null }).ToList(),
                        },
                    },
                    ["protection_url"] = url + "/protection",
                });
            }));
    }
}
