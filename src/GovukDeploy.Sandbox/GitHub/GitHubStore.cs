using System.Security.Cryptography;
using System.Text;

namespace GovukDeploy.Sandbox.GitHub;

/// <summary>
/// The repositories, users and pull requests. One lock guards the lot: requests are
/// short, and one lock cannot deadlock with the Jenkins or Release app locks because
/// no code holds two at once.
/// </summary>
public sealed class GitHubStore
{
    public const string PullRequestContext = "continuous-integration/jenkins/pr-merge";
    public const string BranchContext = "continuous-integration/jenkins/branch";
    public const string CheckRunName = "test";

    private readonly Dictionary<string, GitRepository> _repos = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, GitHubUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, GitHubUser> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _members = new(StringComparer.OrdinalIgnoreCase);
    private long _nextId = 100_000;
    private long _shaCounter;

    public GitHubStore(TimeProvider clock) => Clock = clock;

    public object Sync { get; } = new();
    public TimeProvider Clock { get; }

    public long NextId() => Interlocked.Increment(ref _nextId);

    public GitHubUser AddUser(string login, string name, bool organization = false, bool bot = false, string? token = null)
    {
        lock (Sync)
        {
            if (!_users.TryGetValue(login, out var user))
            {
                user = new GitHubUser
                {
                    Id = NextId(),
                    Login = login,
                    Name = name,
                    Email = $"{login}@users.noreply.sandbox.invalid",
                    IsOrganization = organization,
                    IsBot = bot,
                };
                _users[login] = user;
            }

            if (token is not null)
            {
                _tokens[token] = user;
            }

            return user;
        }
    }

    /// <summary>Makes a user a member of an organisation: members see its private repositories.</summary>
    public void AddMember(GitHubUser organisation, GitHubUser user)
    {
        lock (Sync)
        {
            if (!_members.TryGetValue(organisation.Login, out var members))
            {
                _members[organisation.Login] = members = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            }

            members.Add(user.Login);
        }
    }

    /// <summary>Whether a user (null: anonymous) may see a repository: anyone a public one; the owner and the owner's members a private one.</summary>
    public bool CanSee(GitHubUser? user, GitRepository repo)
    {
        lock (Sync)
        {
            return !repo.Private || (user is not null && (user.Login.Equals(repo.Owner.Login, StringComparison.OrdinalIgnoreCase)
                || (_members.TryGetValue(repo.Owner.Login, out var members) && members.Contains(user.Login))));
        }
    }

    /// <summary>A deployment of a ref (resolved to its commit), newest first in the repository's list.</summary>
    public GitHubDeployment CreateDeployment(GitRepository repo, string reference, string sha, string environment, GitHubUser creator,
        string task = "deploy", string? description = null, bool transient = false, bool production = false, Dictionary<string, object?>? payload = null)
    {
        lock (Sync)
        {
            var now = Clock.GetUtcNow();
            var deployment = new GitHubDeployment
            {
                Id = NextId(),
                Sha = sha,
                Ref = reference,
                Task = task,
                Environment = environment,
                OriginalEnvironment = environment,
                Description = description,
                Creator = creator,
                Payload = payload ?? [],
                TransientEnvironment = transient,
                ProductionEnvironment = production,
                CreatedAt = now,
                UpdatedAt = now,
            };
            repo.Deployments.Insert(0, deployment);
            return deployment;
        }
    }

    public GitHubDeploymentStatus AddDeploymentStatus(GitHubDeployment deployment, string state, GitHubUser creator, string? environmentUrl = null,
        string? targetUrl = null, string? logUrl = null, string? description = null, string? environment = null)
    {
        lock (Sync)
        {
            var now = Clock.GetUtcNow();
            var status = new GitHubDeploymentStatus
            {
                Id = NextId(),
                State = state,
                Creator = creator,
                Description = description ?? "",
                Environment = environment ?? deployment.Environment,
                EnvironmentUrl = environmentUrl ?? "",
                TargetUrl = targetUrl ?? logUrl ?? "",
                LogUrl = logUrl ?? targetUrl ?? "",
                CreatedAt = now,
            };
            deployment.Statuses.Insert(0, status);
            deployment.UpdatedAt = now;
            return status;
        }
    }

    public GitHubUser? UserForToken(string token)
    {
        lock (Sync)
        {
            return _tokens.GetValueOrDefault(token);
        }
    }

    public GitHubUser? FindUser(string login)
    {
        lock (Sync)
        {
            return _users.GetValueOrDefault(login);
        }
    }

    public GitRepository? FindRepository(string owner, string name)
    {
        lock (Sync)
        {
            return _repos.GetValueOrDefault($"{owner}/{name}");
        }
    }

    /// <summary>Finds a repository by its deploy name or, failing that, its repository name.</summary>
    public GitRepository? FindByApplication(string application)
    {
        lock (Sync)
        {
            return _repos.Values.FirstOrDefault(r => string.Equals(r.DeployName, application, StringComparison.OrdinalIgnoreCase))
                ?? _repos.Values.FirstOrDefault(r => string.Equals(r.Name, application, StringComparison.OrdinalIgnoreCase));
        }
    }

    public IReadOnlyList<GitRepository> Repositories()
    {
        lock (Sync)
        {
            return _repos.Values.OrderBy(r => r.FullName, StringComparer.Ordinal).ToList();
        }
    }

    public GitRepository CreateRepository(GitHubUser owner, string name, string? deployName, string description, DateTimeOffset createdAt)
    {
        lock (Sync)
        {
            var repo = new GitRepository
            {
                Id = NextId(),
                Owner = owner,
                Name = name,
                DeployName = string.IsNullOrWhiteSpace(deployName) ? name : deployName,
                Description = description,
                CreatedAt = createdAt,
                PushedAt = createdAt,
            };
            _repos[repo.FullName] = repo;
            return repo;
        }
    }

    /// <summary>Adds a commit on top of the branch (created if new) and moves the branch to it.</summary>
    public GitCommit AddCommit(GitRepository repo, string branch, string message, GitHubUser author,
        DateTimeOffset? date = null, IReadOnlyList<string>? parents = null)
    {
        lock (Sync)
        {
            if (parents is null)
            {
                parents = repo.Branches.TryGetValue(branch, out var tip) ? [tip] : [];
            }

            // Commit times only move forward (per repository) so that date order is also topological order.
            var when = date ?? Clock.GetUtcNow();
            when = new DateTimeOffset(when.UtcTicks - when.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            if (when <= repo.LastCommitDate)
            {
                when = repo.LastCommitDate.AddSeconds(1);
            }
            repo.LastCommitDate = when;

            var commit = new GitCommit
            {
                Sha = NewSha(repo.FullName, message),
                Message = message,
                Author = author,
                Date = when,
                Parents = parents,
                TreeSha = NewSha(repo.FullName, "tree"),
                FileName = FileFor(message),
            };
            repo.Commits[commit.Sha] = commit;
            repo.Branches[branch] = commit.Sha;
            if (when > repo.PushedAt)
            {
                repo.PushedAt = when;
            }
            return commit;
        }
    }

    /// <summary>Points a branch (created if new) at an existing commit, as a force-push does.</summary>
    public void MoveBranch(GitRepository repo, string branch, string sha, DateTimeOffset when)
    {
        lock (Sync)
        {
            if (!repo.Commits.ContainsKey(sha))
            {
                throw new InvalidOperationException($"{repo.FullName} has no commit {sha}.");
            }
            repo.Branches[branch] = sha;
            if (when > repo.PushedAt)
            {
                repo.PushedAt = when;
            }
        }
    }

    public TagRef CreateTag(GitRepository repo, string name, string commitSha, GitHubUser tagger, bool annotated, DateTimeOffset? date = null)
    {
        lock (Sync)
        {
            var target = commitSha;
            if (annotated)
            {
                var tag = new AnnotatedTag
                {
                    Sha = NewSha(repo.FullName, "tag " + name),
                    Name = name,
                    Message = $"Release {name}\n",
                    ObjectSha = commitSha,
                    Tagger = tagger,
                    Date = date ?? repo.Commits[commitSha].Date,
                };
                repo.TagObjects[tag.Sha] = tag;
                target = tag.Sha;
            }

            var tagRef = new TagRef { Name = name, TargetSha = target, IsAnnotated = annotated };
            repo.Tags[name] = tagRef;
            return tagRef;
        }
    }

    /// <summary>The commit a tag ref finally points at, peeling annotated tags.</summary>
    public static string PeelTag(GitRepository repo, TagRef tag) =>
        tag.IsAnnotated ? repo.TagObjects[tag.TargetSha].ObjectSha : tag.TargetSha;

    /// <summary>Resolves a branch, tag, full SHA or SHA prefix (7+) to a commit SHA.</summary>
    public static string? Resolve(GitRepository repo, string reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        // "owner:branch" as compare accepts it
        var colon = reference.IndexOf(':');
        if (colon > 0)
        {
            reference = reference[(colon + 1)..];
        }

        foreach (var prefix in new[] { "refs/heads/", "heads/" })
        {
            if (reference.StartsWith(prefix, StringComparison.Ordinal) && repo.Branches.TryGetValue(reference[prefix.Length..], out var b))
            {
                return b;
            }
        }

        foreach (var prefix in new[] { "refs/tags/", "tags/" })
        {
            if (reference.StartsWith(prefix, StringComparison.Ordinal) && repo.Tags.TryGetValue(reference[prefix.Length..], out var t))
            {
                return PeelTag(repo, t);
            }
        }

        if (repo.Branches.TryGetValue(reference, out var branch))
        {
            return branch;
        }

        if (repo.Tags.TryGetValue(reference, out var tag))
        {
            return PeelTag(repo, tag);
        }

        if (repo.Commits.ContainsKey(reference))
        {
            return reference;
        }

        if (reference.Length >= 7 && reference.All(Uri.IsHexDigit))
        {
            var matches = repo.Commits.Keys.Where(k => k.StartsWith(reference, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
            if (matches.Count == 1)
            {
                return matches[0];
            }
        }

        return null;
    }

    public static HashSet<string> Ancestors(GitRepository repo, string sha)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(sha);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!seen.Add(next) || !repo.Commits.TryGetValue(next, out var commit))
            {
                continue;
            }
            foreach (var parent in commit.Parents)
            {
                pending.Push(parent);
            }
        }
        return seen;
    }

    /// <summary>Commits reachable from <paramref name="sha"/>, newest first, as GitHub lists them.</summary>
    public static List<GitCommit> History(GitRepository repo, string sha) =>
        Ancestors(repo, sha).Select(s => repo.Commits[s]).OrderByDescending(c => c.Date).ThenByDescending(c => c.Sha, StringComparer.Ordinal).ToList();

    public static CompareOutcome Compare(GitRepository repo, string baseSha, string headSha)
    {
        var baseSet = Ancestors(repo, baseSha);
        var headSet = Ancestors(repo, headSha);
        var ahead = headSet.Where(s => !baseSet.Contains(s)).Select(s => repo.Commits[s]).OrderBy(c => c.Date).ToList();
        var behind = baseSet.Count(s => !headSet.Contains(s));
        var mergeBase = baseSet.Where(headSet.Contains).Select(s => repo.Commits[s]).OrderByDescending(c => c.Date).FirstOrDefault();
        var status = (ahead.Count, behind) switch
        {
            (0, 0) => "identical",
            (_, 0) => "ahead",
            (0, _) => "behind",
            _ => "diverged",
        };
        return new CompareOutcome(status, ahead, behind, mergeBase);
    }

    public CommitStatus SetStatus(GitRepository repo, string sha, string context, string state, string description, string? targetUrl)
    {
        lock (Sync)
        {
            var now = Clock.GetUtcNow();
            if (!repo.Statuses.TryGetValue(sha, out var list))
            {
                repo.Statuses[sha] = list = [];
            }
            var status = new CommitStatus
            {
                Id = NextId(),
                State = state,
                Context = context,
                Description = description,
                TargetUrl = targetUrl,
                CreatedAt = now,
                UpdatedAt = now,
            };
            // GitHub keeps every status; the combined view shows the newest per context.
            list.Insert(0, status);
            return status;
        }
    }

    public CheckRun SetCheckRun(GitRepository repo, string sha, string status, string? conclusion, string? detailsUrl)
    {
        lock (Sync)
        {
            var now = Clock.GetUtcNow();
            if (!repo.CheckRuns.TryGetValue(sha, out var list))
            {
                repo.CheckRuns[sha] = list = [];
            }
            var run = list.FirstOrDefault(r => r.Name == CheckRunName);
            if (run is null)
            {
                run = new CheckRun { Id = NextId(), Name = CheckRunName, HeadSha = sha, StartedAt = now };
                list.Add(run);
            }
            run.Status = status;
            run.Conclusion = conclusion;
            run.CompletedAt = status == "completed" ? now : null;
            run.DetailsUrl = detailsUrl ?? run.DetailsUrl;
            return run;
        }
    }

    /// <summary>The newest status per context, newest first.</summary>
    public static List<CommitStatus> LatestStatuses(GitRepository repo, string sha) =>
        repo.Statuses.TryGetValue(sha, out var list)
            ? list.GroupBy(s => s.Context).Select(g => g.First()).ToList()
            : [];

    public static string CombinedState(IReadOnlyCollection<CommitStatus> latest)
    {
        if (latest.Any(s => s.State is "failure" or "error"))
        {
            return "failure";
        }
        if (latest.Count == 0 || latest.Any(s => s.State == "pending"))
        {
            return "pending";
        }
        return "success";
    }

    /// <summary>Why the pull request may not merge (null when it may), and GitHub's mergeable_state.</summary>
    public static MergeVerdict Mergeability(GitRepository repo, PullRequest pr)
    {
        if (pr.Merged)
        {
            return new MergeVerdict(null, "unknown", "Pull Request is not mergeable");
        }
        if (pr.Closed)
        {
            return new MergeVerdict(null, "unknown", "Pull Request is not mergeable");
        }
        if (pr.Draft)
        {
            return new MergeVerdict(true, "draft", "Pull Request is still a draft");
        }

        var head = HeadOf(repo, pr);
        var latest = LatestStatuses(repo, head);
        var ci = latest.FirstOrDefault(s => s.Context == PullRequestContext);
        if (ci is null || ci.State == "pending")
        {
            return new MergeVerdict(true, "blocked", $"Required status check \"{PullRequestContext}\" is expected.");
        }
        if (ci.State is "failure" or "error")
        {
            return new MergeVerdict(true, "blocked", $"Required status check \"{PullRequestContext}\" is failing.");
        }

        var reviews = LatestReviews(pr);
        if (reviews.Any(r => r.State == "CHANGES_REQUESTED"))
        {
            return new MergeVerdict(true, "blocked", "Changes were requested by a reviewer; a pull request with requested changes cannot be merged.");
        }
        if (!reviews.Any(r => r.State == "APPROVED"))
        {
            return new MergeVerdict(true, "blocked", "At least 1 approving review is required by reviewers with write access.");
        }

        var checks = repo.CheckRuns.GetValueOrDefault(head) ?? [];
        if (checks.Any(c => c.Conclusion is "failure" or "timed_out" or "cancelled"))
        {
            return new MergeVerdict(true, "unstable", null);
        }

        return new MergeVerdict(true, "clean", null);
    }

    /// <summary>The pull request's head commit: its branch's tip while the branch exists, else the one recorded.</summary>
    public static string HeadOf(GitRepository repo, PullRequest pr) =>
        pr.HeadRepository is null && repo.Branches.TryGetValue(pr.HeadRef, out var sha) ? sha : pr.HeadSha ?? "";

    /// <summary>Each reviewer's deciding review (comments do not undo an approval).</summary>
    public static List<PullRequestReview> LatestReviews(PullRequest pr) =>
        pr.Reviews.Where(r => r.State is "APPROVED" or "CHANGES_REQUESTED" or "DISMISSED")
            .GroupBy(r => r.User.Login)
            .Select(g => g.OrderBy(r => r.SubmittedAt).ThenBy(r => r.Id).Last())
            .ToList();

    private string NewSha(string scope, string text)
    {
        var n = Interlocked.Increment(ref _shaCounter);
        var bytes = SHA1.HashData(Encoding.UTF8.GetBytes($"{scope}\n{n}\n{text}\n{Guid.NewGuid()}"));
        return Convert.ToHexString(bytes).ToLowerInvariant();
    }

    private static string FileFor(string message)
    {
        var word = new string(message.Where(char.IsLetterOrDigit).Take(24).ToArray()).ToLowerInvariant();
        return $"app/{(word.Length == 0 ? "change" : word)}.rb";
    }
}

public sealed record CompareOutcome(string Status, List<GitCommit> Ahead, int BehindBy, GitCommit? MergeBase);

public sealed record MergeVerdict(bool? Mergeable, string MergeableState, string? Refusal);
