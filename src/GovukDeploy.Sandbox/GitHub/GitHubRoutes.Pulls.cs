using System.Text.Json;
using GovukDeploy.Sandbox.Hosting;
using GovukDeploy.Sandbox.Pipeline;

namespace GovukDeploy.Sandbox.GitHub;

public static partial class GitHubRoutes
{
    /// <summary>Pull requests: list, read, commits, reviews and merge.</summary>
    private static void MapPulls(RouteGroupBuilder repo, GitHubStore store, GitHubJson json, ReleasePipeline pipeline)
    {
        repo.MapGet("/pulls", (HttpContext ctx, string owner, string name) =>
            WithRepo(store, owner, name, r =>
            {
                var state = ctx.Request.Query["state"].ToString();
                IEnumerable<PullRequest> pulls = state switch
                {
                    "closed" => r.Pulls.Where(p => p.Closed),
                    "all" => r.Pulls,
                    _ => r.Pulls.Where(p => !p.Closed),
                };
                var head = ctx.Request.Query["head"].ToString();
                if (!string.IsNullOrEmpty(head))
                {
                    var branch = head.Contains(':') ? head[(head.IndexOf(':') + 1)..] : head;
                    pulls = pulls.Where(p => p.HeadRef == branch);
                }
                var baseRef = ctx.Request.Query["base"].ToString();
                if (!string.IsNullOrEmpty(baseRef))
                {
                    pulls = pulls.Where(p => p.BaseRef == baseRef);
                }
                var ascending = ctx.Request.Query["direction"] == "asc";
                pulls = ctx.Request.Query["sort"].ToString() switch
                {
                    "updated" => ascending ? pulls.OrderBy(p => p.UpdatedAt) : pulls.OrderByDescending(p => p.UpdatedAt),
                    _ => ascending ? pulls.OrderBy(p => p.CreatedAt).ThenBy(p => p.Number) : pulls.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Number),
                };
                return Wire.JsonResult(Pagination.Page(ctx, pulls.ToList()).Select(p => json.PullRequest(r, p, full: false)).ToList());
            }));

        repo.MapGet("/pulls/{number:int}", (string owner, string name, int number) =>
            WithPull(store, owner, name, number, (r, pr) => Wire.JsonResult(json.PullRequest(r, pr, full: true))));

        repo.MapGet("/pulls/{number:int}/commits", (HttpContext ctx, string owner, string name, int number) =>
            WithPull(store, owner, name, number, (r, pr) =>
            {
                var head = GitHubStore.HeadOf(r, pr);
                var baseSha = pr.Merged && r.Commits[pr.MergeCommitSha!].Parents.Count > 0 ? r.Commits[pr.MergeCommitSha!].Parents[0] : r.Branches[pr.BaseRef];
                var commits = GitHubStore.Compare(r, baseSha, head).Ahead;
                return Wire.JsonResult(Pagination.Page(ctx, commits).Select(c => json.Commit(r, c)).ToList());
            }));

        repo.MapGet("/pulls/{number:int}/reviews", (HttpContext ctx, string owner, string name, int number) =>
            WithPull(store, owner, name, number, (r, pr) =>
                Wire.JsonResult(Pagination.Page(ctx, pr.Reviews.OrderBy(x => x.Id).ToList()).Select(x => json.Review(r, pr, x)).ToList())));

        repo.MapPost("/pulls/{number:int}/reviews", async (HttpContext ctx, string owner, string name, int number) =>
        {
            var user = GitHubGateway.CurrentUser(ctx);
            if (user is null)
            {
                return Fail(401, "Requires authentication", Docs + "/pulls/reviews#create-a-review-for-a-pull-request");
            }
            var body = await ReadBody(ctx) ?? JsonDocument.Parse("{}").RootElement;
            return WithPull(store, owner, name, number, (r, pr) =>
            {
                var evt = Text(body, "event");
                var state = evt switch
                {
                    "APPROVE" => "APPROVED",
                    "REQUEST_CHANGES" => "CHANGES_REQUESTED",
                    "COMMENT" => "COMMENTED",
                    null or "" => "PENDING",
                    _ => null,
                };
                var text = Text(body, "body") ?? "";
                const string docs = Docs + "/pulls/reviews#create-a-review-for-a-pull-request";
                if (state is null)
                {
                    return Fail(422, "Unprocessable Entity: event must be one of APPROVE, REQUEST_CHANGES, COMMENT", docs);
                }
                if (pr.User.Login == user.Login && state == "APPROVED")
                {
                    return Fail(422, "Unprocessable Entity: Review Can not approve your own pull request", docs);
                }
                if (pr.User.Login == user.Login && state == "CHANGES_REQUESTED")
                {
                    return Fail(422, "Unprocessable Entity: Review Can not request changes on your own pull request", docs);
                }
                if (state is "CHANGES_REQUESTED" or "COMMENTED" && string.IsNullOrWhiteSpace(text))
                {
                    return Fail(422, "Unprocessable Entity: Body is required for this review event", docs);
                }
                var review = new PullRequestReview
                {
                    Id = store.NextId(),
                    User = user,
                    State = state,
                    Body = text,
                    CommitId = Text(body, "commit_id") ?? GitHubStore.HeadOf(r, pr),
                    SubmittedAt = store.Clock.GetUtcNow(),
                };
                pr.Reviews.Add(review);
                pr.UpdatedAt = review.SubmittedAt;
                return Wire.JsonResult(json.Review(r, pr, review));
            });
        });

        repo.MapPut("/pulls/{number:int}/merge", async (HttpContext ctx, string owner, string name, int number) =>
        {
            var user = GitHubGateway.CurrentUser(ctx);
            const string docs = Docs + "/pulls/pulls#merge-a-pull-request";
            if (user is null)
            {
                return Fail(401, "Requires authentication", docs);
            }
            var body = await ReadBody(ctx) ?? JsonDocument.Parse("{}").RootElement;
            (GitRepository Repo, string Sha)? merged = null;
            var result = WithPull(store, owner, name, number, (r, pr) =>
            {
                if (pr.Closed)
                {
                    return Fail(405, "Pull Request is not mergeable", docs);
                }
                var headSha = GitHubStore.HeadOf(r, pr);
                var expected = Text(body, "sha");
                if (!string.IsNullOrEmpty(expected) && !string.Equals(expected, headSha, StringComparison.OrdinalIgnoreCase))
                {
                    return Fail(409, "Head branch was modified. Review and try the merge again.", docs);
                }
                var method = Text(body, "merge_method") ?? "merge";
                if (method is not ("merge" or "squash" or "rebase"))
                {
                    return Fail(422, "Invalid merge_method: use merge, squash or rebase.", docs);
                }
                var verdict = GitHubStore.Mergeability(r, pr);
                if (verdict.Refusal is not null && verdict.MergeableState != "unstable")
                {
                    return Fail(405, verdict.Refusal, docs);
                }

                var title = Text(body, "commit_title");
                var message = Text(body, "commit_message");
                GitCommit commit;
                if (method == "merge")
                {
                    var text = $"{title ?? $"Merge pull request #{pr.Number} from {r.Owner.Login}/{pr.HeadRef}"}\n\n{message ?? pr.Title}";
                    commit = store.AddCommit(r, pr.BaseRef, text, user, parents: [r.Branches[pr.BaseRef], headSha]);
                }
                else
                {
                    var text = $"{title ?? $"{pr.Title} (#{pr.Number})"}\n\n{message ?? pr.Body}";
                    commit = store.AddCommit(r, pr.BaseRef, text, pr.User);
                }

                var now = store.Clock.GetUtcNow();
                pr.Closed = true;
                pr.ClosedAt = now;
                pr.MergedAt = now;
                pr.UpdatedAt = now;
                pr.MergeCommitSha = commit.Sha;
                pr.MergedBy = user;
                pr.HeadSha = headSha;
                merged = (r, commit.Sha);
                return Wire.JsonResult(new Dictionary<string, object?>
                {
                    ["sha"] = commit.Sha,
                    ["merged"] = true,
                    ["message"] = "Pull Request successfully merged",
                });
            });

            if (merged is { } m)
            {
                // Outside the GitHub lock: the pipeline talks to Jenkins.
                pipeline.DefaultBranchPushed(m.Repo, m.Sha);
            }
            return result;
        });
    }

    private static IResult WithPull(GitHubStore store, string owner, string name, int number, Func<GitRepository, PullRequest, IResult> handler) =>
        WithRepo(store, owner, name, r =>
        {
            var pr = r.Pulls.FirstOrDefault(p => p.Number == number);
            return pr is null ? NotFound(Docs + "/pulls/pulls#get-a-pull-request") : handler(r, pr);
        });
}
