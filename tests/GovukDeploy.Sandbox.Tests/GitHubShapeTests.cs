using System.Text.Json;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>
/// The properties GitHub's published REST description marks as required for each
/// response schema the sandbox serves are all present.
/// </summary>
public sealed class GitHubShapeTests
{
    private static readonly string[] SimpleUser =
    [
        "login", "id", "node_id", "avatar_url", "gravatar_id", "url", "html_url", "followers_url", "following_url",
        "gists_url", "starred_url", "subscriptions_url", "organizations_url", "repos_url", "events_url",
        "received_events_url", "type", "site_admin",
    ];

    private static readonly string[] Repository =
    [
        "id", "node_id", "name", "full_name", "owner", "private", "html_url", "description", "fork", "url",
        "archive_url", "assignees_url", "blobs_url", "branches_url", "collaborators_url", "comments_url", "commits_url",
        "compare_url", "contents_url", "contributors_url", "deployments_url", "downloads_url", "events_url", "forks_url",
        "git_commits_url", "git_refs_url", "git_tags_url", "hooks_url", "issue_comment_url", "issue_events_url",
        "issues_url", "keys_url", "labels_url", "languages_url", "merges_url", "milestones_url", "notifications_url",
        "pulls_url", "releases_url", "stargazers_url", "statuses_url", "subscribers_url", "subscription_url", "tags_url",
        "teams_url", "trees_url", "clone_url", "default_branch", "forks", "forks_count", "git_url", "has_downloads",
        "has_issues", "has_projects", "has_wiki", "has_pages", "homepage", "language", "archived", "disabled",
        "mirror_url", "open_issues", "open_issues_count", "stargazers_count", "ssh_url", "svn_url", "watchers",
        "watchers_count", "size", "created_at", "updated_at", "pushed_at",
    ];

    private static readonly string[] Commit = ["url", "sha", "node_id", "html_url", "comments_url", "commit", "author", "committer", "parents"];

    private static readonly string[] PullRequestSimple =
    [
        "url", "id", "node_id", "html_url", "diff_url", "patch_url", "issue_url", "commits_url", "review_comments_url",
        "review_comment_url", "comments_url", "statuses_url", "number", "state", "locked", "title", "user", "body",
        "labels", "milestone", "created_at", "updated_at", "closed_at", "merged_at", "merge_commit_sha", "assignee",
        "head", "base", "_links", "author_association", "auto_merge",
    ];

    private static readonly string[] PullRequestFull =
    [
        .. PullRequestSimple, "merged", "mergeable", "mergeable_state", "merged_by", "comments", "review_comments",
        "maintainer_can_modify", "commits", "additions", "deletions", "changed_files",
    ];

    private static void HasAll(JsonElement element, IEnumerable<string> names, string what)
    {
        var missing = names.Where(n => !element.TryGetProperty(n, out _)).ToList();
        Assert.True(missing.Count == 0, $"{what} lacks {string.Join(", ", missing)}");
    }

    private static async Task<JsonElement> Get(TestSandbox sandbox, string path)
    {
        using var response = await sandbox.Http.SendAsync(sandbox.GitHubRequest(HttpMethod.Get, path));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task ResponsesCarryEveryRequiredProperty()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var user = await Get(sandbox, "user");
        HasAll(user, [.. SimpleUser, "name", "company", "blog", "location", "email", "hireable", "bio", "public_repos",
            "public_gists", "followers", "following", "created_at", "updated_at"], "private-user");

        var repo = await Get(sandbox, "repos/alphagov/frontend");
        HasAll(repo, [.. Repository, "network_count", "subscribers_count"], "full-repository");
        HasAll(repo.GetProperty("owner"), SimpleUser, "repository owner");

        var tag = (await Get(sandbox, "repos/alphagov/frontend/tags"))[0];
        HasAll(tag, ["name", "commit", "zipball_url", "tarball_url", "node_id"], "tag");

        var reference = await Get(sandbox, "repos/alphagov/frontend/git/ref/tags/release_10");
        HasAll(reference, ["ref", "node_id", "url", "object"], "git-ref");
        HasAll(reference.GetProperty("object"), ["type", "sha", "url"], "git-ref object");

        var gitTag = await Get(sandbox, "repos/alphagov/frontend/git/tags/" + reference.GetProperty("object").GetProperty("sha").GetString());
        HasAll(gitTag, ["node_id", "tag", "sha", "url", "message", "tagger", "object"], "git-tag");
        HasAll(gitTag.GetProperty("tagger"), ["date", "email", "name"], "git-tag tagger");

        var commit = await Get(sandbox, "repos/alphagov/frontend/commits/main");
        HasAll(commit, Commit, "commit");
        HasAll(commit.GetProperty("commit"), ["author", "committer", "comment_count", "message", "tree", "url"], "commit.commit");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", commit.GetProperty("commit").GetProperty("author").GetProperty("date").GetString());
        HasAll((await Get(sandbox, "repos/alphagov/frontend/commits"))[0], Commit, "commit in a list");

        var comparison = await Get(sandbox, "repos/alphagov/frontend/compare/release_1...release_3");
        HasAll(comparison, ["url", "html_url", "permalink_url", "diff_url", "patch_url", "base_commit", "merge_base_commit",
            "status", "ahead_by", "behind_by", "total_commits", "commits"], "commit-comparison");

        var pulls = await Get(sandbox, "repos/alphagov/frontend/pulls");
        HasAll(pulls[0], PullRequestSimple, "pull-request-simple");
        HasAll(pulls[0].GetProperty("head"), ["label", "ref", "repo", "sha", "user"], "pull request head");
        HasAll(pulls[0].GetProperty("head").GetProperty("repo"), Repository, "pull request head repo");
        HasAll(pulls[0].GetProperty("_links"), ["comments", "commits", "statuses", "html", "issue", "review_comments", "review_comment", "self"], "_links");
        var pull = await Get(sandbox, "repos/alphagov/frontend/pulls/13");
        HasAll(pull, PullRequestFull, "pull-request");

        var review = (await Get(sandbox, "repos/alphagov/frontend/pulls/13/reviews"))[0];
        HasAll(review, ["id", "node_id", "user", "body", "state", "commit_id", "html_url", "pull_request_url", "_links", "author_association"], "pull-request-review");

        var head = pull.GetProperty("head").GetProperty("sha").GetString();
        var combined = await Get(sandbox, $"repos/alphagov/frontend/commits/{head}/status");
        HasAll(combined, ["state", "sha", "total_count", "statuses", "repository", "commit_url", "url"], "combined-commit-status");
        HasAll(combined.GetProperty("statuses")[0], ["description", "id", "node_id", "state", "context", "target_url", "avatar_url", "url", "created_at", "updated_at"], "simple-commit-status");

        var checks = await Get(sandbox, $"repos/alphagov/frontend/commits/{head}/check-runs");
        HasAll(checks, ["total_count", "check_runs"], "check runs");
        HasAll(checks.GetProperty("check_runs")[0], ["id", "node_id", "head_sha", "name", "url", "html_url", "details_url", "status",
            "conclusion", "started_at", "completed_at", "external_id", "check_suite", "output", "app", "pull_requests"], "check-run");
        HasAll(checks.GetProperty("check_runs")[0].GetProperty("app"), ["id", "node_id", "owner", "name", "description", "external_url",
            "html_url", "created_at", "updated_at", "permissions", "events"], "integration");

        var limits = await Get(sandbox, "rate_limit");
        HasAll(limits, ["resources", "rate"], "rate-limit-overview");
        HasAll(limits.GetProperty("resources"), ["core", "search"], "rate-limit resources");
        HasAll(limits.GetProperty("rate"), ["limit", "remaining", "reset", "used"], "rate-limit");
    }
}
