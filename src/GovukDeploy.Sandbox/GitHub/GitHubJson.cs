using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.GitHub;

/// <summary>Renders the in-memory objects in GitHub's REST shapes (snake_case, absolute URLs, ISO dates).</summary>
public sealed class GitHubJson
{
    private readonly SandboxUrls _urls;

    public GitHubJson(SandboxUrls urls) => _urls = urls;

    /// <summary>Where the web pages would be (GitHub Enterprise: the host root).</summary>
    public string Html => _urls.Base;

    /// <summary>The REST root (GitHub Enterprise: /api/v3/).</summary>
    public string Api => _urls.Base + "api/v3/";

    public static string NodeId(string kind, long id) =>
        Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"0:{kind}{id}")).TrimEnd('=');

    public object User(GitHubUser user)
    {
        var url = $"{Api}users/{user.Login}";
        return new Dictionary<string, object?>
        {
            ["login"] = user.Login,
            ["id"] = user.Id,
            ["node_id"] = NodeId(user.IsOrganization ? "Organization" : "User", user.Id),
            ["avatar_url"] = $"{Html}avatars/u/{user.Id}?v=4",
            ["gravatar_id"] = "",
            ["url"] = url,
            ["html_url"] = $"{Html}{user.Login}",
            ["followers_url"] = $"{url}/followers",
            ["following_url"] = $"{url}/following{{/other_user}}",
            ["gists_url"] = $"{url}/gists{{/gist_id}}",
            ["starred_url"] = $"{url}/starred{{/owner}}{{/repo}}",
            ["subscriptions_url"] = $"{url}/subscriptions",
            ["organizations_url"] = $"{url}/orgs",
            ["repos_url"] = $"{url}/repos",
            ["events_url"] = $"{url}/events{{/privacy}}",
            ["received_events_url"] = $"{url}/received_events",
            ["type"] = user.IsOrganization ? "Organization" : user.IsBot ? "Bot" : "User",
            ["user_view_type"] = "public",
            ["site_admin"] = false,
        };
    }

    /// <summary>A user as GET /users/{login} shows anyone: the simple fields and the public profile.</summary>
    public object PublicUser(GitHubUser user, DateTimeOffset created)
    {
        var body = (Dictionary<string, object?>)User(user);
        body["name"] = user.Name;
        body["company"] = "Government Digital Service";
        body["blog"] = "";
        body["location"] = "London";
        body["email"] = user.Email;
        body["hireable"] = null;
        body["bio"] = null;
        body["twitter_username"] = null;
        body["public_repos"] = 0;
        body["public_gists"] = 0;
        body["followers"] = 0;
        body["following"] = 0;
        body["created_at"] = Wire.Iso(created);
        body["updated_at"] = Wire.Iso(created);
        return body;
    }

    /// <summary>The authenticated user (GET /user): the public fields and a few private ones.</summary>
    public object AuthenticatedUser(GitHubUser user, DateTimeOffset created)
    {
        var body = (Dictionary<string, object?>)PublicUser(user, created);
        body["private_gists"] = 0;
        body["total_private_repos"] = 0;
        body["owned_private_repos"] = 0;
        body["disk_usage"] = 0;
        body["collaborators"] = 0;
        body["two_factor_authentication"] = true;
        return body;
    }

    public string RepoUrl(GitRepository repo) => $"{Api}repos/{repo.FullName}";

    public object Repository(GitRepository repo, bool full = true)
    {
        var url = RepoUrl(repo);
        var body = new Dictionary<string, object?>
        {
            ["id"] = repo.Id,
            ["node_id"] = NodeId("Repository", repo.Id),
            ["name"] = repo.Name,
            ["full_name"] = repo.FullName,
            ["private"] = repo.Private,
            ["owner"] = User(repo.Owner),
            ["html_url"] = $"{Html}{repo.FullName}",
            ["description"] = repo.Description,
            ["fork"] = repo.IsFork,
            ["url"] = url,
            ["archive_url"] = $"{url}/{{archive_format}}{{/ref}}",
            ["assignees_url"] = $"{url}/assignees{{/user}}",
            ["blobs_url"] = $"{url}/git/blobs{{/sha}}",
            ["branches_url"] = $"{url}/branches{{/branch}}",
            ["collaborators_url"] = $"{url}/collaborators{{/collaborator}}",
            ["comments_url"] = $"{url}/comments{{/number}}",
            ["commits_url"] = $"{url}/commits{{/sha}}",
            ["compare_url"] = $"{url}/compare/{{base}}...{{head}}",
            ["contents_url"] = $"{url}/contents/{{+path}}",
            ["contributors_url"] = $"{url}/contributors",
            ["deployments_url"] = $"{url}/deployments",
            ["downloads_url"] = $"{url}/downloads",
            ["events_url"] = $"{url}/events",
            ["forks_url"] = $"{url}/forks",
            ["git_commits_url"] = $"{url}/git/commits{{/sha}}",
            ["git_refs_url"] = $"{url}/git/refs{{/sha}}",
            ["git_tags_url"] = $"{url}/git/tags{{/sha}}",
            ["hooks_url"] = $"{url}/hooks",
            ["issue_comment_url"] = $"{url}/issues/comments{{/number}}",
            ["issue_events_url"] = $"{url}/issues/events{{/number}}",
            ["issues_url"] = $"{url}/issues{{/number}}",
            ["keys_url"] = $"{url}/keys{{/key_id}}",
            ["labels_url"] = $"{url}/labels{{/name}}",
            ["languages_url"] = $"{url}/languages",
            ["merges_url"] = $"{url}/merges",
            ["milestones_url"] = $"{url}/milestones{{/number}}",
            ["notifications_url"] = $"{url}/notifications{{?since,all,participating}}",
            ["pulls_url"] = $"{url}/pulls{{/number}}",
            ["releases_url"] = $"{url}/releases{{/id}}",
            ["stargazers_url"] = $"{url}/stargazers",
            ["statuses_url"] = $"{url}/statuses/{{sha}}",
            ["subscribers_url"] = $"{url}/subscribers",
            ["subscription_url"] = $"{url}/subscription",
            ["tags_url"] = $"{url}/tags",
            ["teams_url"] = $"{url}/teams",
            ["trees_url"] = $"{url}/git/trees{{/sha}}",
            ["created_at"] = Wire.Iso(repo.CreatedAt),
            ["updated_at"] = Wire.Iso(repo.PushedAt),
            ["pushed_at"] = Wire.Iso(repo.PushedAt),
            ["git_url"] = $"git://{new Uri(Html).Authority}/{repo.FullName}.git",
            ["ssh_url"] = $"git@{new Uri(Html).Host}:{repo.FullName}.git",
            ["clone_url"] = $"{Html}{repo.FullName}.git",
            ["svn_url"] = $"{Html}{repo.FullName}",
            ["homepage"] = null,
            ["size"] = repo.Commits.Count,
            ["stargazers_count"] = 0,
            ["watchers_count"] = 0,
            ["language"] = "Ruby",
            ["has_issues"] = true,
            ["has_projects"] = false,
            ["has_downloads"] = true,
            ["has_wiki"] = false,
            ["has_pages"] = false,
            ["has_discussions"] = false,
            ["forks_count"] = 0,
            ["mirror_url"] = null,
            ["archived"] = false,
            ["disabled"] = false,
            ["open_issues_count"] = repo.Pulls.Count(p => !p.Closed),
            ["license"] = new Dictionary<string, object?>
            {
                ["key"] = "mit", ["name"] = "MIT License", ["spdx_id"] = "MIT",
                ["url"] = $"{Api}licenses/mit", ["node_id"] = "MDc6TGljZW5zZTEz",
            },
            ["allow_forking"] = true,
            ["is_template"] = false,
            ["web_commit_signoff_required"] = false,
            ["topics"] = new[] { "govuk", "container" },
            ["visibility"] = repo.Private ? "private" : "public",
            ["forks"] = 0,
            ["open_issues"] = repo.Pulls.Count(p => !p.Closed),
            ["watchers"] = 0,
            ["default_branch"] = repo.DefaultBranch,
        };
        if (full)
        {
            body["permissions"] = new Dictionary<string, object?>
            {
                ["admin"] = false, ["maintain"] = false, ["push"] = true, ["triage"] = true, ["pull"] = true,
            };
            body["organization"] = User(repo.Owner);
            body["network_count"] = 0;
            body["subscribers_count"] = 0;
        }
        return body;
    }

    public object CommitSummary(GitRepository repo, GitCommit commit) => new Dictionary<string, object?>
    {
        ["sha"] = commit.Sha,
        ["url"] = $"{RepoUrl(repo)}/commits/{commit.Sha}",
    };

    public object Commit(GitRepository repo, GitCommit commit, bool withFiles = false)
    {
        var url = RepoUrl(repo);
        var person = new Dictionary<string, object?>
        {
            ["name"] = commit.Author.Name,
            ["email"] = commit.Author.Email,
            ["date"] = Wire.Iso(commit.Date),
        };
        var body = new Dictionary<string, object?>
        {
            ["sha"] = commit.Sha,
            ["node_id"] = NodeId("Commit", Math.Abs((long)commit.Sha.GetHashCode())),
            ["commit"] = new Dictionary<string, object?>
            {
                ["author"] = person,
                ["committer"] = person,
                ["message"] = commit.Message,
                ["tree"] = new Dictionary<string, object?> { ["sha"] = commit.TreeSha, ["url"] = $"{url}/git/trees/{commit.TreeSha}" },
                ["url"] = $"{url}/git/commits/{commit.Sha}",
                ["comment_count"] = 0,
                ["verification"] = new Dictionary<string, object?>
                {
                    ["verified"] = false, ["reason"] = "unsigned", ["signature"] = null, ["payload"] = null, ["verified_at"] = null,
                },
            },
            ["url"] = $"{url}/commits/{commit.Sha}",
            ["html_url"] = $"{Html}{repo.FullName}/commit/{commit.Sha}",
            ["comments_url"] = $"{url}/commits/{commit.Sha}/comments",
            ["author"] = User(commit.Author),
            ["committer"] = User(commit.Author),
            ["parents"] = commit.Parents.Select(p => new Dictionary<string, object?>
            {
                ["sha"] = p,
                ["url"] = $"{url}/commits/{p}",
                ["html_url"] = $"{Html}{repo.FullName}/commit/{p}",
            }).ToList(),
        };
        if (withFiles)
        {
            body["stats"] = new Dictionary<string, object?> { ["total"] = 2, ["additions"] = 1, ["deletions"] = 1 };
            body["files"] = new[] { File(repo, commit) };
        }
        return body;
    }

    public object File(GitRepository repo, GitCommit commit) => new Dictionary<string, object?>
    {
        ["sha"] = commit.TreeSha,
        ["filename"] = commit.FileName,
        ["status"] = "modified",
        ["additions"] = 1,
        ["deletions"] = 1,
        ["changes"] = 2,
        ["blob_url"] = $"{Html}{repo.FullName}/blob/{commit.Sha}/{commit.FileName}",
        ["raw_url"] = $"{Html}{repo.FullName}/raw/{commit.Sha}/{commit.FileName}",
        ["contents_url"] = $"{RepoUrl(repo)}/contents/{commit.FileName}?ref={commit.Sha}",
        ["patch"] = "@@ -1 +1 @@\n-old\n+new",
    };

    public object Tag(GitRepository repo, TagRef tag)
    {
        var sha = GitHubStore.PeelTag(repo, tag);
        return new Dictionary<string, object?>
        {
            ["name"] = tag.Name,
            ["zipball_url"] = $"{RepoUrl(repo)}/zipball/refs/tags/{tag.Name}",
            ["tarball_url"] = $"{RepoUrl(repo)}/tarball/refs/tags/{tag.Name}",
            ["commit"] = new Dictionary<string, object?> { ["sha"] = sha, ["url"] = $"{RepoUrl(repo)}/commits/{sha}" },
            ["node_id"] = NodeId("Ref", Math.Abs((long)tag.Name.GetHashCode())),
        };
    }

    public object Reference(GitRepository repo, string refName, string sha, string type)
    {
        var objectUrl = type == "tag" ? $"{RepoUrl(repo)}/git/tags/{sha}" : $"{RepoUrl(repo)}/git/commits/{sha}";
        return new Dictionary<string, object?>
        {
            ["ref"] = refName,
            ["node_id"] = NodeId("Ref", Math.Abs((long)refName.GetHashCode())),
            ["url"] = $"{RepoUrl(repo)}/git/{refName}",
            ["object"] = new Dictionary<string, object?> { ["sha"] = sha, ["type"] = type, ["url"] = objectUrl },
        };
    }

    public object AnnotatedTag(GitRepository repo, AnnotatedTag tag) => new Dictionary<string, object?>
    {
        ["node_id"] = NodeId("Tag", Math.Abs((long)tag.Sha.GetHashCode())),
        ["sha"] = tag.Sha,
        ["url"] = $"{RepoUrl(repo)}/git/tags/{tag.Sha}",
        ["tag"] = tag.Name,
        ["message"] = tag.Message,
        ["tagger"] = new Dictionary<string, object?>
        {
            ["name"] = tag.Tagger.Name, ["email"] = tag.Tagger.Email, ["date"] = Wire.Iso(tag.Date),
        },
        ["object"] = new Dictionary<string, object?>
        {
            ["sha"] = tag.ObjectSha, ["type"] = "commit", ["url"] = $"{RepoUrl(repo)}/git/commits/{tag.ObjectSha}",
        },
        ["verification"] = new Dictionary<string, object?>
        {
            ["verified"] = false, ["reason"] = "unsigned", ["signature"] = null, ["payload"] = null, ["verified_at"] = null,
        },
    };

    private object Branch(GitRepository repo, string label, string refName, string sha) => new Dictionary<string, object?>
    {
        ["label"] = $"{repo.Owner.Login}:{label}",
        ["ref"] = refName,
        ["sha"] = sha,
        ["user"] = User(repo.Owner),
        ["repo"] = Repository(repo, full: false),
    };

    public object PullRequest(GitRepository repo, PullRequest pr, bool full)
    {
        var url = $"{RepoUrl(repo)}/pulls/{pr.Number}";
        var html = $"{Html}{repo.FullName}/pull/{pr.Number}";
        var issue = $"{RepoUrl(repo)}/issues/{pr.Number}";
        var headSha = GitHubStore.HeadOf(repo, pr);
        var baseSha = repo.Branches[pr.BaseRef];
        var body = new Dictionary<string, object?>
        {
            ["url"] = url,
            ["id"] = pr.Id,
            ["node_id"] = NodeId("PullRequest", pr.Id),
            ["html_url"] = html,
            ["diff_url"] = html + ".diff",
            ["patch_url"] = html + ".patch",
            ["issue_url"] = issue,
            ["commits_url"] = url + "/commits",
            ["review_comments_url"] = url + "/comments",
            ["review_comment_url"] = $"{RepoUrl(repo)}/pulls/comments{{/number}}",
            ["comments_url"] = issue + "/comments",
            ["statuses_url"] = $"{RepoUrl(repo)}/statuses/{headSha}",
            ["number"] = pr.Number,
            ["state"] = pr.Closed ? "closed" : "open",
            ["locked"] = false,
            ["title"] = pr.Title,
            ["user"] = User(pr.User),
            ["body"] = pr.Body,
            ["labels"] = Array.Empty<object>(),
            ["milestone"] = null,
            ["active_lock_reason"] = null,
            ["created_at"] = Wire.Iso(pr.CreatedAt),
            ["updated_at"] = Wire.Iso(pr.UpdatedAt),
            ["closed_at"] = Wire.Iso(pr.ClosedAt),
            ["merged_at"] = Wire.Iso(pr.MergedAt),
            ["merge_commit_sha"] = pr.MergeCommitSha,
            ["assignee"] = null,
            ["assignees"] = Array.Empty<object>(),
            ["requested_reviewers"] = Array.Empty<object>(),
            ["requested_teams"] = Array.Empty<object>(),
            ["head"] = Branch(pr.HeadRepository ?? repo, pr.HeadRef, pr.HeadRef, headSha),
            ["base"] = Branch(repo, pr.BaseRef, pr.BaseRef, baseSha),
            ["_links"] = new Dictionary<string, object?>
            {
                ["self"] = new Dictionary<string, object?> { ["href"] = url },
                ["html"] = new Dictionary<string, object?> { ["href"] = html },
                ["issue"] = new Dictionary<string, object?> { ["href"] = issue },
                ["comments"] = new Dictionary<string, object?> { ["href"] = issue + "/comments" },
                ["review_comments"] = new Dictionary<string, object?> { ["href"] = url + "/comments" },
                ["review_comment"] = new Dictionary<string, object?> { ["href"] = $"{RepoUrl(repo)}/pulls/comments{{/number}}" },
                ["commits"] = new Dictionary<string, object?> { ["href"] = url + "/commits" },
                ["statuses"] = new Dictionary<string, object?> { ["href"] = $"{RepoUrl(repo)}/statuses/{headSha}" },
            },
            ["author_association"] = "MEMBER",
            ["auto_merge"] = null,
            ["draft"] = pr.Draft,
        };

        if (full)
        {
            var verdict = GitHubStore.Mergeability(repo, pr);
            var commits = pr.Merged ? 1 : GitHubStore.Compare(repo, baseSha, headSha).Ahead.Count;
            body["merged"] = pr.Merged;
            body["mergeable"] = verdict.Mergeable;
            body["rebaseable"] = verdict.Mergeable;
            body["mergeable_state"] = verdict.MergeableState;
            body["merged_by"] = pr.MergedBy is null ? null : User(pr.MergedBy);
            body["comments"] = 0;
            body["review_comments"] = 0;
            body["maintainer_can_modify"] = false;
            body["commits"] = commits;
            body["additions"] = commits;
            body["deletions"] = commits;
            body["changed_files"] = commits;
        }
        return body;
    }

    public object Review(GitRepository repo, PullRequest pr, PullRequestReview review)
    {
        var html = $"{Html}{repo.FullName}/pull/{pr.Number}#pullrequestreview-{review.Id}";
        var prUrl = $"{RepoUrl(repo)}/pulls/{pr.Number}";
        return new Dictionary<string, object?>
        {
            ["id"] = review.Id,
            ["node_id"] = NodeId("PullRequestReview", review.Id),
            ["user"] = User(review.User),
            ["body"] = review.Body,
            ["state"] = review.State,
            ["html_url"] = html,
            ["pull_request_url"] = prUrl,
            ["author_association"] = "MEMBER",
            ["_links"] = new Dictionary<string, object?>
            {
                ["html"] = new Dictionary<string, object?> { ["href"] = html },
                ["pull_request"] = new Dictionary<string, object?> { ["href"] = prUrl },
            },
            ["submitted_at"] = review.State == "PENDING" ? null : Wire.Iso(review.SubmittedAt),
            ["commit_id"] = review.CommitId,
        };
    }

    public object Status(GitRepository repo, CommitStatus status, GitHubUser creator) => new Dictionary<string, object?>
    {
        ["url"] = $"{RepoUrl(repo)}/statuses/{status.Id}",
        ["avatar_url"] = $"{Html}avatars/u/{creator.Id}?v=4",
        ["id"] = status.Id,
        ["node_id"] = NodeId("StatusContext", status.Id),
        ["state"] = status.State,
        ["description"] = status.Description,
        ["target_url"] = status.TargetUrl,
        ["context"] = status.Context,
        ["created_at"] = Wire.Iso(status.CreatedAt),
        ["updated_at"] = Wire.Iso(status.UpdatedAt),
        ["creator"] = User(creator),
    };

    public object CheckRun(GitRepository repo, CheckRun run) => new Dictionary<string, object?>
    {
        ["id"] = run.Id,
        ["head_sha"] = run.HeadSha,
        ["node_id"] = NodeId("CheckRun", run.Id),
        ["external_id"] = "",
        ["url"] = $"{RepoUrl(repo)}/check-runs/{run.Id}",
        ["html_url"] = $"{Html}{repo.FullName}/runs/{run.Id}",
        ["details_url"] = run.DetailsUrl,
        ["status"] = run.Status,
        ["conclusion"] = run.Conclusion,
        ["started_at"] = Wire.Iso(run.StartedAt),
        ["completed_at"] = Wire.Iso(run.CompletedAt),
        ["output"] = new Dictionary<string, object?>
        {
            ["title"] = run.Conclusion is null ? "Tests running" : $"Tests {run.Conclusion}",
            ["summary"] = run.Conclusion is null ? "The test suite is running." : $"The test suite finished: {run.Conclusion}.",
            ["text"] = null,
            ["annotations_count"] = 0,
            ["annotations_url"] = $"{RepoUrl(repo)}/check-runs/{run.Id}/annotations",
        },
        ["name"] = run.Name,
        ["check_suite"] = new Dictionary<string, object?> { ["id"] = run.Id + 1 },
        ["app"] = new Dictionary<string, object?>
        {
            ["id"] = 15368, ["slug"] = "github-actions", ["node_id"] = "MDM6QXBwMTUzNjg=",
            ["owner"] = User(repo.Owner), ["name"] = "GitHub Actions", ["description"] = "Automate your workflow",
            ["external_url"] = Html, ["html_url"] = $"{Html}apps/github-actions",
            ["created_at"] = "2018-07-30T09:30:17Z", ["updated_at"] = "2024-04-10T20:33:16Z",
            ["permissions"] = new Dictionary<string, object?>(), ["events"] = Array.Empty<string>(),
        },
        ["pull_requests"] = Array.Empty<object>(),
    };

    public object Deployment(GitRepository repo, GitHubDeployment deployment)
    {
        var url = $"{RepoUrl(repo)}/deployments/{deployment.Id}";
        return new Dictionary<string, object?>
        {
            ["url"] = url,
            ["id"] = deployment.Id,
            ["node_id"] = NodeId("Deployment", deployment.Id),
            ["sha"] = deployment.Sha,
            ["ref"] = deployment.Ref,
            ["task"] = deployment.Task,
            ["payload"] = deployment.Payload,
            ["original_environment"] = deployment.OriginalEnvironment,
            ["environment"] = deployment.Environment,
            ["description"] = deployment.Description,
            ["creator"] = User(deployment.Creator),
            ["created_at"] = Wire.Iso(deployment.CreatedAt),
            ["updated_at"] = Wire.Iso(deployment.UpdatedAt),
            ["statuses_url"] = url + "/statuses",
            ["repository_url"] = RepoUrl(repo),
            ["transient_environment"] = deployment.TransientEnvironment,
            ["production_environment"] = deployment.ProductionEnvironment,
            ["performed_via_github_app"] = null,
        };
    }

    public object DeploymentStatus(GitRepository repo, GitHubDeployment deployment, GitHubDeploymentStatus status)
    {
        var deploymentUrl = $"{RepoUrl(repo)}/deployments/{deployment.Id}";
        return new Dictionary<string, object?>
        {
            ["url"] = $"{deploymentUrl}/statuses/{status.Id}",
            ["id"] = status.Id,
            ["node_id"] = NodeId("DeploymentStatus", status.Id),
            ["state"] = status.State,
            ["creator"] = User(status.Creator),
            ["description"] = status.Description,
            ["environment"] = status.Environment,
            ["target_url"] = status.TargetUrl,
            ["created_at"] = Wire.Iso(status.CreatedAt),
            ["updated_at"] = Wire.Iso(status.CreatedAt),
            ["deployment_url"] = deploymentUrl,
            ["repository_url"] = RepoUrl(repo),
            ["environment_url"] = status.EnvironmentUrl,
            ["log_url"] = status.LogUrl,
            ["performed_via_github_app"] = null,
        };
    }

    public static object Error(string message, string documentation = "https://docs.github.com/rest") => new Dictionary<string, object?>
    {
        ["message"] = message,
        ["documentation_url"] = documentation,
    };
}
