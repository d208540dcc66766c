using System.Collections.Concurrent;
using System.Net;
using GovukDeploy.Errors;
using GovukDeploy.Reporting;
using Octokit;

namespace GovukDeploy.GitHub;

/// <summary>The commit a merged pull request made on its base branch.</summary>
public sealed record MergedPullRequest(int Number, string MergeCommitSha, string? BaseBranch, string? Title, string? Url);

/// <summary>CI's signals on one commit, folded as for a pull request (Failure, else Pending, else Success).</summary>
public sealed record CommitCi(string Sha, CiState State, IReadOnlyList<CheckResult> Checks);

/// <summary>
/// What Wait-Release asks GitHub about one commit: the commit a merged pull request made, whether
/// it is on the default branch, CI's signals on it, and the first release tag that contains it.
/// </summary>
public sealed class GitHubCommits
{
    private readonly GitHubConnection _connection;

    // Whether a tag contains a commit never changes while the tag stays put, so each answer is kept,
    // keyed by the object the tag points at: polling asks again only about new or moved tags.
    private readonly ConcurrentDictionary<(string Commit, string Tag, string TagObject), bool> _contains = new();

    internal GitHubCommits(GitHubConnection connection) => _connection = connection;

    /// <summary>How many compares this instance has sent (tests check that answers are kept between polls).</summary>
    internal int ComparesSent => _comparesSent;
    private int _comparesSent;

    /// <summary>
    /// The merge commit of a merged pull request. PullRequestNotFound when there is no such pull
    /// request; PullRequestNotMerged when it is open, or closed without being merged.
    /// </summary>
    public Task<MergedPullRequest> GetMergedPullRequestAsync(Application application, int number, IOperationReporter? reporter = null,
        CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
        {
            var pr = await GitHubPullRequests.GetOrNotFoundAsync(_connection, application, owner, name, number).ConfigureAwait(false);

            if (!pr.Merged || string.IsNullOrEmpty(pr.MergeCommitSha))
            {
                var state = pr.State.StringValue == "open" ? "still open" : "closed without being merged";
                var advice = pr.State.StringValue == "open"
                    ? $"Merge it first with 'Merge-PullRequest -Application {application.Name} -Number {number}', then wait for its release."
                    : "Nothing of it will be released; reopen it and merge it with Merge-PullRequest first.";
                throw ErrorCatalogue.PullRequestNotMerged(application.Name, number, pr.Title, state, advice);
            }

            return new MergedPullRequest(pr.Number, pr.MergeCommitSha, pr.Base?.Ref, pr.Title, pr.HtmlUrl);
        });
    }

    /// <summary>The number of the pull request whose merge made this commit, or null when none did (a direct push).</summary>
    public Task<int?> FindMergingPullRequestAsync(Application application, string sha, IOperationReporter? reporter = null,
        CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
        {
            var pulls = await _connection.Client.Repository.Commit.PullRequests(owner, name, GitHubPath.Reference(sha)).ConfigureAwait(false);
            return pulls.Where(p => p.MergedAt is not null && string.Equals(p.MergeCommitSha, sha, StringComparison.OrdinalIgnoreCase))
                .Select(p => (int?)p.Number)
                .FirstOrDefault();
        });
    }

    /// <summary>The full SHA of a commit given in full or abbreviated; CommitNotFound when the repository has no such commit.</summary>
    public Task<string> ResolveCommitAsync(Application application, string sha, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
        {
            try
            {
                return (await _connection.Client.Repository.Commit.Get(owner, name, GitHubPath.Reference(sha)).ConfigureAwait(false)).Sha;
            }
            catch (ApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity)
            {
                await _connection.Client.Repository.Get(owner, name).ConfigureAwait(false);
                throw ErrorCatalogue.CommitNotFound(application.Repository, sha, e);
            }
        });
    }

    /// <summary>The repository's default branch, where CI makes releases.</summary>
    public Task<string> DefaultBranchAsync(Application application, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
            (await _connection.Client.Repository.Get(owner, name).ConfigureAwait(false)).DefaultBranch);
    }

    /// <summary>Whether <paramref name="reference"/> (a branch, a tag or a SHA) is the commit or has it as an ancestor.</summary>
    public Task<bool> ContainsAsync(Application application, string sha, string reference, IOperationReporter? reporter = null,
        CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, () => CompareContainsAsync(owner, name, sha, reference));
    }

    /// <summary>A commit's statuses and check runs as one list of checks, each folded to Pending, Success or Failure.</summary>
    internal static List<CheckResult> ChecksOf(CombinedCommitStatus combined, CheckRunsResponse runs)
    {
        var checks = new List<CheckResult>();
        foreach (var status in combined.Statuses ?? [])
        {
            checks.Add(new CheckResult
            {
                Name = status.Context,
                Kind = CheckKind.Status,
                State = PullRequestStates.FoldStatus(status.State.StringValue),
                Detail = status.State.StringValue,
                Url = status.TargetUrl,
            });
        }

        foreach (var run in runs.CheckRuns ?? [])
        {
            checks.Add(new CheckResult
            {
                Name = run.Name,
                Kind = CheckKind.CheckRun,
                State = PullRequestStates.FoldCheckRun(run.Status.StringValue, run.Conclusion?.StringValue),
                Detail = run.Conclusion?.StringValue ?? run.Status.StringValue,
                Url = run.DetailsUrl ?? run.HtmlUrl,
            });
        }

        return checks;
    }

    /// <summary>Commit statuses and check runs on the commit, folded into one state.</summary>
    public Task<CommitCi> GetCiAsync(Application application, string sha, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
        {
            var statusTask = _connection.Client.Repository.Status.GetCombined(owner, name, GitHubPath.Reference(sha));
            var runsTask = _connection.Client.Check.Run.GetAllForReference(owner, name, sha);
            await Task.WhenAll(statusTask, runsTask).ConfigureAwait(false);
            var checks = ChecksOf(await statusTask.ConfigureAwait(false), await runsTask.ConfigureAwait(false));
            return new CommitCi(sha, PullRequestStates.Combine(checks), checks);
        });
    }

    /// <summary>
    /// The lowest-numbered release tag that is the commit or has it as an ancestor; null when none
    /// does yet. CI tags releases in order along the default branch, so once one release contains
    /// the commit every newer one does too: a tag on the commit itself answers at once, and
    /// otherwise a binary search over the tags (newest first) needs a handful of compares.
    /// </summary>
    public async Task<ReleaseTag?> FindFirstReleaseContainingAsync(Application application, string sha, IOperationReporter? reporter = null,
        CancellationToken cancellationToken = default)
    {
        var tags = await _connection.Releases.ListReleaseTagShasAsync(application, reporter, cancellationToken).ConfigureAwait(false);
        var pattern = ReleaseTagPattern.Parse(application.ReleaseTagPattern);
        ReleaseTag Tag(int i) => new(tags[i].Tag, pattern.NumberOf(tags[i].Tag) ?? 0);

        // Lightweight tags point at the commit itself: no compare needed.
        var exact = -1;
        for (var i = 0; i < tags.Count; i++)
        {
            if (string.Equals(tags[i].Sha, sha, StringComparison.OrdinalIgnoreCase))
            {
                exact = i;
            }
        }

        if (exact >= 0)
        {
            return Tag(exact);
        }

        if (tags.Count == 0 || !await ContainsCachedAsync(application, sha, tags[0], reporter, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // tags[0] contains it; find the last index (oldest release) that still does.
        int low = 0, high = tags.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (await ContainsCachedAsync(application, sha, tags[middle], reporter, cancellationToken).ConfigureAwait(false))
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return Tag(low);
    }

    private async Task<bool> ContainsCachedAsync(Application application, string sha, (string Tag, string Sha) tag, IOperationReporter? reporter,
        CancellationToken cancellationToken)
    {
        var key = (sha.ToLowerInvariant(), tag.Tag, tag.Sha);
        if (_contains.TryGetValue(key, out var known))
        {
            return known;
        }

        // Annotated tags point at a tag object, so the compare names the tag, which GitHub peels to its commit.
        var contains = await ContainsAsync(application, sha, tag.Tag, reporter, cancellationToken).ConfigureAwait(false);
        _contains[key] = contains;
        return contains;
    }

    private async Task<bool> CompareContainsAsync(string owner, string name, string sha, string reference)
    {
        Interlocked.Increment(ref _comparesSent);
        var api = new ApiConnection(_connection.Client.Connection);
        var uri = new Uri($"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/compare/{Uri.EscapeDataString(sha)}...{Uri.EscapeDataString(reference)}",
            UriKind.Relative);
        // One commit a page: only the status matters, not the commits between.
        var result = await api.Get<CompareResult>(uri, new Dictionary<string, string> { ["per_page"] = "1", ["page"] = "1" }).ConfigureAwait(false);
        return result.Status is "ahead" or "identical";
    }
}
