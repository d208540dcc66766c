using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.GitHub;

public static partial class GitHubRoutes
{
    /// <summary>Commits: git commit objects, the commit list, one commit, its pull requests, and comparisons.</summary>
    private static void MapCommits(RouteGroupBuilder repo, GitHubStore store, GitHubJson json)
    {
        repo.MapGet("/git/commits/{sha}", (string owner, string name, string sha) =>
            WithRepo(store, owner, name, r =>
            {
                if (!r.Commits.TryGetValue(sha, out var commit))
                {
                    return NotFound(Docs + "/git/commits#get-a-commit-object");
                }
                var body = (Dictionary<string, object?>)json.Commit(r, commit);
                var inner = (Dictionary<string, object?>)body["commit"]!;
                return Wire.JsonResult(new Dictionary<string, object?>
                {
                    ["sha"] = commit.Sha,
                    ["node_id"] = body["node_id"],
                    ["url"] = inner["url"],
                    ["html_url"] = body["html_url"],
                    ["author"] = inner["author"],
                    ["committer"] = inner["committer"],
                    ["tree"] = inner["tree"],
                    ["message"] = commit.Message,
                    ["parents"] = body["parents"],
                    ["verification"] = inner["verification"],
                });
            }));

        repo.MapGet("/commits", (HttpContext ctx, string owner, string name) =>
            WithRepo(store, owner, name, r =>
            {
                var start = ctx.Request.Query["sha"].ToString();
                var sha = GitHubStore.Resolve(r, string.IsNullOrEmpty(start) ? r.DefaultBranch : start);
                if (sha is null)
                {
                    return NotFound(Docs + "/commits/commits#list-commits");
                }
                IEnumerable<GitCommit> history = GitHubStore.History(r, sha);
                var author = ctx.Request.Query["author"].ToString();
                if (!string.IsNullOrEmpty(author))
                {
                    history = history.Where(c => c.Author.Login.Equals(author, StringComparison.OrdinalIgnoreCase) ||
                                                 c.Author.Email.Equals(author, StringComparison.OrdinalIgnoreCase));
                }
                if (DateTimeOffset.TryParse(ctx.Request.Query["since"], out var since))
                {
                    history = history.Where(c => c.Date >= since);
                }
                if (DateTimeOffset.TryParse(ctx.Request.Query["until"], out var until))
                {
                    history = history.Where(c => c.Date <= until);
                }
                return Wire.JsonResult(Pagination.Page(ctx, history.ToList()).Select(c => json.Commit(r, c)).ToList());
            }));

        repo.MapGet("/commits/{reference}", (string owner, string name, string reference) =>
            WithRepo(store, owner, name, r =>
                GitHubStore.Resolve(r, reference) is { } sha
                    ? Wire.JsonResult(json.Commit(r, r.Commits[sha], withFiles: true))
                    : Fail(422, $"No commit found for SHA: {reference}", Docs + "/commits/commits#get-a-commit")));

        // Pull requests a commit belongs to: merged with it, or carrying it on their branch.
        repo.MapGet("/commits/{reference}/pulls", (HttpContext ctx, string owner, string name, string reference) =>
            WithRepo(store, owner, name, r =>
            {
                if (GitHubStore.Resolve(r, reference) is not { } sha)
                {
                    return Fail(422, $"No commit found for SHA: {reference}", Docs + "/commits/commits#list-pull-requests-associated-with-a-commit");
                }
                var pulls = r.Pulls.Where(p =>
                        p.MergeCommitSha == sha || GitHubStore.HeadOf(r, p) == sha ||
                        (!p.Closed && GitHubStore.Compare(r, r.Branches[p.BaseRef], GitHubStore.HeadOf(r, p)).Ahead.Any(c => c.Sha == sha)))
                    .OrderByDescending(p => p.Number)
                    .ToList();
                return Wire.JsonResult(Pagination.Page(ctx, pulls).Select(p => json.PullRequest(r, p, full: false)).ToList());
            }));

        repo.MapGet("/compare/{**basehead}", (HttpContext ctx, string owner, string name, string basehead) =>
            WithRepo(store, owner, name, r =>
            {
                var split = basehead.IndexOf("...", StringComparison.Ordinal);
                if (split <= 0)
                {
                    return NotFound(Docs + "/commits/commits#compare-two-commits");
                }
                var baseSha = GitHubStore.Resolve(r, basehead[..split]);
                var headSha = GitHubStore.Resolve(r, basehead[(split + 3)..]);
                if (baseSha is null || headSha is null)
                {
                    return NotFound(Docs + "/commits/commits#compare-two-commits");
                }
                var outcome = GitHubStore.Compare(r, baseSha, headSha);
                // Without page/per_page GitHub returns at most 250 commits, ending with the newest of the
                // whole range; total_commits tells the truth. With them it pages like any list.
                var commits = Pagination.Requested(ctx)
                    ? Pagination.Page(ctx, outcome.Ahead)
                    : outcome.Ahead.Skip(Math.Max(0, outcome.Ahead.Count - 250)).ToList();
                var html = $"{json.Html}{r.FullName}/compare/{basehead}";
                return Wire.JsonResult(new Dictionary<string, object?>
                {
                    ["url"] = $"{json.RepoUrl(r)}/compare/{basehead}",
                    ["html_url"] = html,
                    ["permalink_url"] = $"{json.Html}{r.FullName}/compare/{r.Owner.Login}:{baseSha[..7]}...{r.Owner.Login}:{headSha[..7]}",
                    ["diff_url"] = html + ".diff",
                    ["patch_url"] = html + ".patch",
                    ["base_commit"] = json.Commit(r, r.Commits[baseSha]),
                    ["merge_base_commit"] = outcome.MergeBase is null ? null : json.Commit(r, outcome.MergeBase),
                    ["status"] = outcome.Status,
                    ["ahead_by"] = outcome.Ahead.Count,
                    ["behind_by"] = outcome.BehindBy,
                    ["total_commits"] = outcome.Ahead.Count,
                    ["commits"] = commits.Select(c => json.Commit(r, c)).ToList(),
                    ["files"] = outcome.Ahead.Take(300).Select(c => json.File(r, c)).ToList(),
                });
            }));
    }
}
