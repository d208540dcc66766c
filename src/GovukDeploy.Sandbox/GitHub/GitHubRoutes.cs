using System.Text.Json;
using GovukDeploy.Sandbox.Hosting;
using GovukDeploy.Sandbox.Pipeline;

namespace GovukDeploy.Sandbox.GitHub;

/// <summary>The REST subset GovukDeploy uses, under GitHub Enterprise's /api/v3/ layout.</summary>
public static class GitHubRoutes
{
    private const string Docs = "https://docs.github.com/rest";

    public static void Map(WebApplication app, GitHubStore store, GitHubJson json, ReleasePipeline pipeline, GitHubRateLimits limits)
    {
        var api = app.MapGroup("/api/v3");

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
                : Wire.JsonResult(json.AuthenticatedUser(user, new DateTimeOffset(2015, 3, 2, 9, 30, 0, TimeSpan.Zero)));
        });

        api.MapGet("/users/{login}", (string login) =>
            store.FindUser(login) is { } user ? Wire.JsonResult(json.User(user)) : NotFound(Docs + "/users/users#get-a-user"));

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

        var repo = api.MapGroup("/repos/{owner}/{name}");

        repo.MapGet("", (string owner, string name) =>
            WithRepo(store, owner, name, r => Wire.JsonResult(json.Repository(r))));

        repo.MapGet("/tags", (HttpContext ctx, string owner, string name) =>
            WithRepo(store, owner, name, r =>
            {
                var tags = r.Tags.Values.OrderByDescending(t => t.Name, StringComparer.Ordinal).ToList();
                return Wire.JsonResult(Pagination.Page(ctx, tags).Select(t => json.Tag(r, t)).ToList());
            }));

        repo.MapGet("/git/refs", (HttpContext ctx, string owner, string name) =>
            WithRepo(store, owner, name, r => Wire.JsonResult(Pagination.Page(ctx, AllRefs(r, json)).ToList())));

        // The older form: an exact ref gives one object, a namespace gives an array.
        repo.MapGet("/git/refs/{**reference}", (HttpContext ctx, string owner, string name, string reference) =>
            WithRepo(store, owner, name, r =>
            {
                var refs = MatchingRefs(r, "refs/" + reference.TrimEnd('/'));
                var exact = refs.FirstOrDefault(x => x.Name == "refs/" + reference);
                if (exact is not null)
                {
                    return Wire.JsonResult(exact.Body(json, r));
                }
                var under = refs.Where(x => x.Name.StartsWith("refs/" + reference.TrimEnd('/') + "/", StringComparison.Ordinal)).ToList();
                return under.Count == 0
                    ? NotFound(Docs + "/git/refs#get-a-reference")
                    : Wire.JsonResult(Pagination.Page(ctx, under).Select(x => x.Body(json, r)).ToList());
            }));

        repo.MapGet("/git/ref/{**reference}", (string owner, string name, string reference) =>
            WithRepo(store, owner, name, r =>
            {
                var exact = MatchingRefs(r, "refs/" + reference).FirstOrDefault(x => x.Name == "refs/" + reference);
                return exact is null ? NotFound(Docs + "/git/refs#get-a-reference") : Wire.JsonResult(exact.Body(json, r));
            }));

        repo.MapGet("/git/matching-refs/{**reference}", (string owner, string name, string reference) =>
            WithRepo(store, owner, name, r =>
                Wire.JsonResult(MatchingRefs(r, "refs/" + reference).Select(x => x.Body(json, r)).ToList())));

        repo.MapPost("/git/refs", async (HttpContext ctx, string owner, string name) =>
        {
            if (GitHubGateway.CurrentUser(ctx) is null)
            {
                return Fail(401, "Requires authentication", Docs + "/git/refs#create-a-reference");
            }
            var body = await ReadBody(ctx);
            if (body is null)
            {
                return Fail(400, "Problems parsing JSON", Docs + "/git/refs#create-a-reference");
            }
            var refName = Text(body.Value, "ref");
            var sha = Text(body.Value, "sha");
            return WithRepo(store, owner, name, r =>
            {
                if (string.IsNullOrEmpty(refName) || !refName.StartsWith("refs/", StringComparison.Ordinal) || refName.Count(c => c == '/') < 2)
                {
                    return Fail(422, "Reference name must start with 'refs/' and have at least two slashes.", Docs + "/git/refs#create-a-reference");
                }
                if (string.IsNullOrEmpty(sha) || !(r.Commits.ContainsKey(sha) || r.TagObjects.ContainsKey(sha)))
                {
                    return Fail(422, "Object does not exist", Docs + "/git/refs#create-a-reference");
                }
                if (MatchingRefs(r, refName).Any(x => x.Name == refName))
                {
                    return Fail(422, "Reference already exists", Docs + "/git/refs#create-a-reference");
                }

                RefEntry created;
                if (refName.StartsWith("refs/tags/", StringComparison.Ordinal))
                {
                    var tagName = refName["refs/tags/".Length..];
                    var annotated = r.TagObjects.ContainsKey(sha);
                    var tag = new TagRef { Name = tagName, TargetSha = sha, IsAnnotated = annotated };
                    r.Tags[tagName] = tag;
                    created = RefEntry.ForTag(tag);
                }
                else if (refName.StartsWith("refs/heads/", StringComparison.Ordinal) && r.Commits.ContainsKey(sha))
                {
                    r.Branches[refName["refs/heads/".Length..]] = sha;
                    created = new RefEntry(refName, sha, "commit");
                }
                else
                {
                    return Fail(422, "Reference name is not a branch or a tag.", Docs + "/git/refs#create-a-reference");
                }
                ctx.Response.Headers.Location = $"{json.RepoUrl(r)}/git/{refName}";
                return Wire.JsonResult(created.Body(json, r), 201);
            });
        });

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
                        },
                    },
                    ["protection_url"] = url + "/protection",
                });
            }));

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

        repo.MapGet("/git/tags/{sha}", (string owner, string name, string sha) =>
            WithRepo(store, owner, name, r =>
                r.TagObjects.TryGetValue(sha, out var tag)
                    ? Wire.JsonResult(json.AnnotatedTag(r, tag))
                    : NotFound(Docs + "/git/tags#get-a-tag")));

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

        MapDeployments(repo, store, json);

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

    /// <summary>GitHub's Deployments API: deployments of a ref, and their statuses, newest first.</summary>
    private static void MapDeployments(RouteGroupBuilder repo, GitHubStore store, GitHubJson json)
    {
        const string docs = Docs + "/deployments/deployments";
        const string statusDocs = Docs + "/deployments/statuses";

        repo.MapGet("/deployments", (HttpContext ctx, string owner, string name) =>
            WithRepo(store, owner, name, r =>
            {
                IEnumerable<GitHubDeployment> found = r.Deployments;
                foreach (var (field, select) in new (string, Func<GitHubDeployment, string>)[] { ("sha", d => d.Sha), ("ref", d => d.Ref), ("task", d => d.Task), ("environment", d => d.Environment) })
                {
                    var wanted = ctx.Request.Query[field].ToString();
                    if (!string.IsNullOrEmpty(wanted))
                    {
                        found = found.Where(d => select(d) == wanted);
                    }
                }
                return Wire.JsonResult(Pagination.Page(ctx, found.ToList()).Select(d => json.Deployment(r, d)).ToList());
            }));

        repo.MapPost("/deployments", async (HttpContext ctx, string owner, string name) =>
        {
            var user = GitHubGateway.CurrentUser(ctx);
            if (user is null)
            {
                return Fail(401, "Requires authentication", docs + "#create-a-deployment");
            }
            var body = await ReadBody(ctx);
            if (body is null || Text(body.Value, "ref") is not { Length: > 0 } reference)
            {
                return Fail(422, "Invalid request.\n\n\"ref\" wasn't supplied.", docs + "#create-a-deployment");
            }
            return WithRepo(store, owner, name, r =>
            {
                if (GitHubStore.Resolve(r, reference) is not { } sha)
                {
                    return Fail(422, $"No ref found for: {reference}", docs + "#create-a-deployment");
                }
                // Unless told which contexts must pass, GitHub requires every status on the commit to be a success.
                var latest = GitHubStore.LatestStatuses(r, sha);
                var required = body.Value.TryGetProperty("required_contexts", out var contexts) && contexts.ValueKind == JsonValueKind.Array
                    ? contexts.EnumerateArray().Select(c => c.GetString() ?? "").ToList()
                    : latest.Select(x => x.Context).ToList();
                var failing = required.Where(c => latest.FirstOrDefault(x => x.Context == c)?.State != "success").ToList();
                if (failing.Count > 0)
                {
                    return Fail(409, $"Conflict: Commit status checks failed for {reference}.", docs + "#create-a-deployment");
                }
                var environment = Text(body.Value, "environment") ?? "production";
                var payload = body.Value.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object
                    ? p.EnumerateObject().ToDictionary(x => x.Name, x => (object?)x.Value.Clone())
                    : new Dictionary<string, object?>();
                var deployment = store.CreateDeployment(r, reference, sha, environment, user, Text(body.Value, "task") ?? "deploy", Text(body.Value, "description"),
                    Flag(body.Value, "transient_environment") ?? false, Flag(body.Value, "production_environment") ?? environment == "production", payload);
                return Wire.JsonResult(json.Deployment(r, deployment), 201);
            });
        });

        repo.MapGet("/deployments/{id:long}", (string owner, string name, long id) =>
            WithDeployment(store, owner, name, id, (r, d) => Wire.JsonResult(json.Deployment(r, d))));

        repo.MapGet("/deployments/{id:long}/statuses", (HttpContext ctx, string owner, string name, long id) =>
            WithDeployment(store, owner, name, id, (r, d) =>
                Wire.JsonResult(Pagination.Page(ctx, d.Statuses).Select(x => json.DeploymentStatus(r, d, x)).ToList())));

        repo.MapGet("/deployments/{id:long}/statuses/{statusId:long}", (string owner, string name, long id, long statusId) =>
            WithDeployment(store, owner, name, id, (r, d) =>
                d.Statuses.FirstOrDefault(x => x.Id == statusId) is { } status
                    ? Wire.JsonResult(json.DeploymentStatus(r, d, status))
                    : NotFound(statusDocs + "#get-a-deployment-status")));

        repo.MapPost("/deployments/{id:long}/statuses", async (HttpContext ctx, string owner, string name, long id) =>
        {
            var user = GitHubGateway.CurrentUser(ctx);
            if (user is null)
            {
                return Fail(401, "Requires authentication", statusDocs + "#create-a-deployment-status");
            }
            var body = await ReadBody(ctx);
            var state = body is null ? null : Text(body.Value, "state");
            if (state is not ("error" or "failure" or "inactive" or "in_progress" or "queued" or "pending" or "success"))
            {
                return Fail(422, "Validation Failed: state must be one of error, failure, inactive, in_progress, queued, pending or success", statusDocs + "#create-a-deployment-status");
            }
            return WithDeployment(store, owner, name, id, (r, d) =>
            {
                var status = store.AddDeploymentStatus(d, state, user, Text(body!.Value, "environment_url"), Text(body.Value, "target_url"),
                    Text(body.Value, "log_url"), Text(body.Value, "description"), Text(body.Value, "environment"));
                return Wire.JsonResult(json.DeploymentStatus(r, d, status), 201);
            });
        });
    }

    private static IResult WithDeployment(GitHubStore store, string owner, string name, long id, Func<GitRepository, GitHubDeployment, IResult> handler) =>
        WithRepo(store, owner, name, r =>
            r.Deployments.FirstOrDefault(d => d.Id == id) is { } deployment
                ? handler(r, deployment)
                : NotFound(Docs + "/deployments/deployments#get-a-deployment"));

    private static bool? Flag(JsonElement body, string property) =>
        body.TryGetProperty(property, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static Dictionary<string, object?> RateJson(RateLimitSnapshot s, string resource) => new()
    {
        ["limit"] = s.Limit,
        ["used"] = s.Used,
        ["remaining"] = s.Remaining,
        ["reset"] = s.Reset,
        ["resource"] = resource,
    };

    private static IResult WithRepo(GitHubStore store, string owner, string name, Func<GitRepository, IResult> handler)
    {
        lock (store.Sync)
        {
            var repo = store.FindRepository(owner, name);
            return repo is null ? NotFound(Docs + "/repos/repos#get-a-repository") : handler(repo);
        }
    }

    private static IResult WithPull(GitHubStore store, string owner, string name, int number, Func<GitRepository, PullRequest, IResult> handler) =>
        WithRepo(store, owner, name, r =>
        {
            var pr = r.Pulls.FirstOrDefault(p => p.Number == number);
            return pr is null ? NotFound(Docs + "/pulls/pulls#get-a-pull-request") : handler(r, pr);
        });

    private static List<object> AllRefs(GitRepository r, GitHubJson json) =>
        MatchingRefs(r, "refs/").Select(x => x.Body(json, r)).ToList();

    /// <summary>Every branch and tag ref whose full name starts with the prefix, in git's (byte) order.</summary>
    private static List<RefEntry> MatchingRefs(GitRepository r, string prefix) =>
        r.Branches.Select(b => new RefEntry("refs/heads/" + b.Key, b.Value, "commit"))
            .Concat(r.Tags.Values.Select(RefEntry.ForTag))
            .Where(x => x.Name.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(x => x.Name, StringComparer.Ordinal)
            .ToList();

    private sealed record RefEntry(string Name, string Sha, string Type)
    {
        public static RefEntry ForTag(TagRef tag) => new("refs/tags/" + tag.Name, tag.TargetSha, tag.IsAnnotated ? "tag" : "commit");

        public object Body(GitHubJson json, GitRepository r) => json.Reference(r, Name, Sha, Type);
    }

    private static async Task<JsonElement?> ReadBody(HttpContext ctx)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement body, string property) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static IResult NotFound(string documentation) => Fail(404, "Not Found", documentation);

    public static IResult Fail(int status, string message, string documentation) =>
        Results.Extensions.GitHubError(status, message, documentation);
}

/// <summary>An IResult that writes GitHub's error body.</summary>
public sealed class GitHubErrorResult(int status, string message, string documentation) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => GitHubGateway.Error(httpContext, status, message, documentation);
}

public static class GitHubResultExtensions
{
    public static IResult GitHubError(this IResultExtensions _, int status, string message, string documentation) =>
        new GitHubErrorResult(status, message, documentation);
}
