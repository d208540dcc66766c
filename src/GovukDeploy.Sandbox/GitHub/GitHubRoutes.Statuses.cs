using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.GitHub;

public static partial class GitHubRoutes
{
    /// <summary>Commit statuses (combined and listed, and their creation) and check runs.</summary>
    private static void MapStatusesAndChecks(RouteGroupBuilder repo, GitHubStore store, GitHubJson json)
    {
        repo.MapGet("/commits/{reference}/status", (string owner, string name, string reference) =>
            WithRepo(store, owner, name, r =>
            {
                if (GitHubStore.Resolve(r, reference) is not { } sha)
                {
                    return NotFound(Docs + "/commits/statuses#get-the-combined-status-for-a-specific-reference");
                }
                var latest = GitHubStore.LatestStatuses(r, sha);
                var bot = store.FindUser("govuk-ci") ?? r.Owner;
                return Wire.JsonResult(new Dictionary<string, object?>
                {
                    ["state"] = GitHubStore.CombinedState(latest),
                    ["statuses"] = latest.Select(s => json.Status(r, s, bot)).ToList(),
                    ["sha"] = sha,
                    ["total_count"] = latest.Count,
                    ["repository"] = json.Repository(r, full: false),
                    ["commit_url"] = $"{json.RepoUrl(r)}/commits/{sha}",
                    ["url"] = $"{json.RepoUrl(r)}/commits/{sha}/status",
                });
            }));

        repo.MapGet("/commits/{reference}/statuses", (HttpContext ctx, string owner, string name, string reference) =>
            WithRepo(store, owner, name, r =>
            {
                if (GitHubStore.Resolve(r, reference) is not { } sha)
                {
                    return NotFound(Docs + "/commits/statuses#list-commit-statuses-for-a-reference");
                }
                var all = r.Statuses.GetValueOrDefault(sha) ?? [];
                var bot = store.FindUser("govuk-ci") ?? r.Owner;
                return Wire.JsonResult(Pagination.Page(ctx, all).Select(s => json.Status(r, s, bot)).ToList());
            }));

        repo.MapGet("/commits/{reference}/check-runs", (HttpContext ctx, string owner, string name, string reference) =>
            WithRepo(store, owner, name, r =>
            {
                if (GitHubStore.Resolve(r, reference) is not { } sha)
                {
                    return NotFound(Docs + "/checks/runs#list-check-runs-for-a-git-reference");
                }
                IEnumerable<CheckRun> runs = r.CheckRuns.GetValueOrDefault(sha) ?? [];
                var checkName = ctx.Request.Query["check_name"].ToString();
                if (!string.IsNullOrEmpty(checkName))
                {
                    runs = runs.Where(c => c.Name == checkName);
                }
                var status = ctx.Request.Query["status"].ToString();
                if (!string.IsNullOrEmpty(status))
                {
                    runs = runs.Where(c => c.Status == status);
                }
                var list = runs.ToList();
                return Wire.JsonResult(new Dictionary<string, object?>
                {
                    ["total_count"] = list.Count,
                    ["check_runs"] = Pagination.Page(ctx, list).Select(c => json.CheckRun(r, c)).ToList(),
                });
            }));

        repo.MapPost("/statuses/{sha}", async (HttpContext ctx, string owner, string name, string sha) =>
        {
            var user = GitHubGateway.CurrentUser(ctx);
            if (user is null)
            {
                return Fail(401, "Requires authentication", Docs + "/commits/statuses#create-a-commit-status");
            }
            var body = await ReadBody(ctx);
            if (body is null)
            {
                return Fail(400, "Problems parsing JSON", Docs + "/commits/statuses#create-a-commit-status");
            }
            var state = Text(body.Value, "state");
            return WithRepo(store, owner, name, r =>
            {
                if (state is not ("error" or "failure" or "pending" or "success"))
                {
                    return Fail(422, "Validation Failed: state must be error, failure, pending or success", Docs + "/commits/statuses#create-a-commit-status");
                }
                if (!r.Commits.ContainsKey(sha))
                {
                    return Fail(422, $"No commit found for SHA: {sha}", Docs + "/commits/statuses#create-a-commit-status");
                }
                var status = store.SetStatus(r, sha, Text(body.Value, "context") ?? "default", state,
                    Text(body.Value, "description") ?? "", Text(body.Value, "target_url"));
                return Wire.JsonResult(json.Status(r, status, user), 201);
            });
        });
    }
}
