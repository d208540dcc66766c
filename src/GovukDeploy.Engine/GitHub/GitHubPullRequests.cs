using System.Diagnostics;
using System.Net;
using GovukDeploy.Errors;
using GovukDeploy.Reporting;
using Octokit;

namespace GovukDeploy.GitHub;

public enum PullRequestStateFilter
{
    Open,
    Closed,
    All,
}

public enum MergeMethod
{
    Merge,
    Squash,
    Rebase,
}

/// <summary>Get-PullRequest, Wait-PullRequestCheck and Merge-PullRequest: the pull request gate.</summary>
public sealed class GitHubPullRequests
{
    private static int _nextActivityId = 7300;

    private readonly GitHubConnection _connection;

    internal GitHubPullRequests(GitHubConnection connection) => _connection = connection;

    /// <summary>A seam for tests: runs after the gate passed and before the merge is sent (to push to the branch in between).</summary>
    internal Func<PullRequest, Task>? BeforeMerge { get; set; }

    /// <summary>Closed pull requests pile up; without -First only this many of the newest are read.</summary>
    public const int DefaultClosedLimit = 100;

    /// <summary>
    /// Pull requests (open ones by default), newest first, each with its CI and review state: at most
    /// <paramref name="first"/>, or all open ones, or the newest <see cref="DefaultClosedLimit"/> when
    /// closed ones are included (with a warning when more exist).
    /// </summary>
    public Task<IReadOnlyList<PullRequest>> ListAsync(Application application, PullRequestStateFilter state = PullRequestStateFilter.Open,
        int? first = null, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        if (first is < 1)
        {
            throw ErrorCatalogue.InvalidFirst(first);
        }
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync<IReadOnlyList<PullRequest>>(application.Repository, reporter, cancellationToken, async () =>
        {
            var request = new PullRequestRequest
            {
                State = state switch
                {
                    PullRequestStateFilter.Closed => ItemStateFilter.Closed,
                    PullRequestStateFilter.All => ItemStateFilter.All,
                    _ => ItemStateFilter.Open,
                },
                SortProperty = PullRequestSort.Created,
                SortDirection = SortDirection.Descending,
            };
            var limit = first ?? (state == PullRequestStateFilter.Open ? (int?)null : DefaultClosedLimit);
            var pageSize = Math.Min(100, limit ?? 100);
            var options = limit is { } l
                // Without -First, one page more than needed shows whether more exist.
                ? new ApiOptions { PageSize = pageSize, PageCount = first is null ? (l + pageSize) / pageSize : (l + pageSize - 1) / pageSize }
                : new ApiOptions { PageSize = pageSize };
            var pulls = await _connection.Client.PullRequest.GetAllForRepository(owner, name, request, options).ConfigureAwait(false);
            if (limit is { } max && pulls.Count > max)
            {
                if (first is null)
                {
                    GitHubCallContext.Reporter.Warning(
                        $"{application.Name} has more than {max} pull requests in that state; showing the {max} newest. Use -First to see more.");
                }
                pulls = pulls.Take(max).ToList();
            }
            return await Task.WhenAll(pulls.Select(p => ReadAsync(application, owner, name, p.Number, withReviewApp: true))).ConfigureAwait(false);
        });
    }

    /// <summary>One pull request (PullRequestNotFound when it does not exist).</summary>
    public Task<PullRequest> GetAsync(Application application, int number, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, () => ReadAsync(application, owner, name, number, withReviewApp: true));
    }

    /// <summary>
    /// Polls until the pull request's CI is no longer Pending, reporting progress, and returns it;
    /// PullRequestCheckTimeout when <paramref name="timeout"/> passes first.
    /// </summary>
    public Task<PullRequest> WaitForChecksAsync(Application application, int number, TimeSpan timeout,
        IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        reporter ??= NullReporter.Instance;
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
        {
            var activity = Interlocked.Increment(ref _nextActivityId);
            var watch = Stopwatch.StartNew();
            var activityName = $"Waiting for CI on {application.Name} #{number}";
            try
            {
                while (true)
                {
                    var pr = await ReadAsync(application, owner, name, number).ConfigureAwait(false);
                    if (pr.CiState != CiState.Pending)
                    {
                        return pr;
                    }
                    var done = pr.Checks.Count(c => c.State != CiState.Pending);
                    var running = string.Join(", ", pr.Checks.Where(c => c.State == CiState.Pending).Select(c => c.Name));
                    var percent = pr.Checks.Length == 0 ? -1 : 100 * done / pr.Checks.Length;
                    if (watch.Elapsed >= timeout)
                    {
                        throw ErrorCatalogue.PullRequestCheckTimeout(application.Name, number, timeout, running, pr);
                    }
                    reporter.Progress(new ProgressUpdate(activity, activityName,
                        $"{done} of {pr.Checks.Length} checks finished" + (running.Length > 0 ? $"; running: {running}" : ""), percent));
                    var left = timeout - watch.Elapsed;
                    await Task.Delay(left < _connection.Options.CheckPollInterval ? left : _connection.Options.CheckPollInterval, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                reporter.Progress(new ProgressUpdate(activity, activityName, "Done", 100, Completed: true));
            }
        });
    }

    /// <summary>
    /// Merges only when CI passed, the pull request is approved, not a draft and mergeable
    /// (PullRequestNotReady otherwise, naming each condition that failed). The head SHA that was
    /// checked goes with the merge, so a push in between fails it (PullRequestHeadChanged) rather
    /// than merging unchecked code. Never retried.
    /// </summary>
    public Task<MergeResult> MergeAsync(Application application, int number, MergeMethod method = MergeMethod.Merge,
        IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        var (owner, name) = GitHubConnection.SplitRepository(application);
        return _connection.RunAsync(application.Repository, reporter, cancellationToken, async () =>
        {
            var pr = await ReadAsync(application, owner, name, number).ConfigureAwait(false);
            // GitHub works out mergeability in the background; ask again briefly while it is unknown.
            for (var attempt = 0; pr.Mergeable is null && pr.State == "open" && attempt < 3; attempt++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                pr = await ReadAsync(application, owner, name, number).ConfigureAwait(false);
            }

            var problems = NotReadyReasons(pr);
            if (problems.Count > 0)
            {
                throw ErrorCatalogue.PullRequestNotReady(application.Name, number, problems, pr);
            }

            if (BeforeMerge is { } hook)
            {
                await hook(pr).ConfigureAwait(false);
            }

            PullRequestMerge merged;
            try
            {
                merged = await _connection.Client.PullRequest.Merge(owner, name, number, new MergePullRequest
                {
                    Sha = pr.HeadSha,
                    MergeMethod = method switch
                    {
                        MergeMethod.Squash => PullRequestMergeMethod.Squash,
                        MergeMethod.Rebase => PullRequestMergeMethod.Rebase,
                        _ => PullRequestMergeMethod.Merge,
                    },
                }).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                throw ErrorCatalogue.PullRequestHeadChanged(application.Name, number, pr.HeadSha, pr, e);
            }
            catch (ApiException e) when (e.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.UnprocessableEntity)
            {
                throw ErrorCatalogue.PullRequestNotMergeable(application.Name, number, e.Message, pr, e);
            }

            return new MergeResult
            {
                Application = application.Name,
                Number = number,
                Merged = merged.Merged,
                Sha = merged.Sha,
                HeadSha = pr.HeadSha,
                Method = method.ToString(),
                Message = merged.Message,
            };
        });
    }

    /// <summary>Every gate condition the pull request fails, in words; empty when it may merge.</summary>
    public static IReadOnlyList<string> NotReadyReasons(PullRequest pr)
    {
        var problems = new List<string>();
        if (pr.State != "open")
        {
            problems.Add(pr.Merged ? "it is already merged" : "it is closed");
            return problems;
        }
        if (pr.Draft)
        {
            problems.Add("it is a draft (mark it ready for review first)");
        }
        switch (pr.CiState)
        {
            case CiState.Failure:
                problems.Add($"CI failed ({string.Join(", ", pr.Checks.Where(c => c.State == CiState.Failure).Select(c => c.Name))})");
                break;
            case CiState.Pending:
                problems.Add(pr.Checks.Length == 0
                    ? "CI has not reported on the head commit yet"
                    : $"CI is still running ({string.Join(", ", pr.Checks.Where(c => c.State == CiState.Pending).Select(c => c.Name))}); use Wait-PullRequestCheck");
                break;
        }
        switch (pr.ReviewState)
        {
            case ReviewState.ChangesRequested:
                problems.Add("a reviewer requested changes");
                break;
            case ReviewState.ReviewRequired:
                problems.Add("it has no approving review");
                break;
        }
        if (pr.Mergeable is not true)
        {
            problems.Add(pr.Mergeable is null
                ? "GitHub has not yet worked out whether it merges cleanly; try again in a moment"
                : $"GitHub says it cannot be merged ({pr.MergeableState ?? "conflicts"})");
        }
        return problems;
    }

    /// <summary>Octokit's pull request, or PullRequestNotFound (a missing repository is reported as that instead).</summary>
    internal static async Task<Octokit.PullRequest> GetOrNotFoundAsync(GitHubConnection connection, Application application, string owner, string name, int number)
    {
        try
        {
            return await connection.Client.PullRequest.Get(owner, name, number).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            await connection.Client.Repository.Get(owner, name).ConfigureAwait(false);
            throw ErrorCatalogue.PullRequestNotFound(application, number);
        }
    }

    private async Task<PullRequest> ReadAsync(Application application, string owner, string name, int number, bool withReviewApp = false)
    {
        var pr = await GetOrNotFoundAsync(_connection, application, owner, name, number).ConfigureAwait(false);
        var head = pr.Head.Sha;
        var statusTask = _connection.Client.Repository.Status.GetCombined(owner, name, head);
        var runsTask = _connection.Client.Check.Run.GetAllForReference(owner, name, head);
        var reviewsTask = _connection.Client.PullRequest.Review.GetAll(owner, name, number);
        var reviewAppTask = withReviewApp ? ReviewAppAsync(application, pr) : Task.FromResult<ReviewApp?>(null);
        await Task.WhenAll(statusTask, runsTask, reviewsTask, reviewAppTask).ConfigureAwait(false);

        var checks = GitHubCommits.ChecksOf(await statusTask.ConfigureAwait(false), await runsTask.ConfigureAwait(false));

        var (reviewState, approvers) = PullRequestStates.FoldReviews((await reviewsTask.ConfigureAwait(false))
            .Where(r => r.User is not null)
            .Select(r => new PullRequestStates.Review(r.User.Login, r.State.StringValue, r.SubmittedAt, r.Id)));

        // A fork's head.repo is another repository (null once the fork is deleted).
        var headRepository = pr.Head.Repository?.FullName;
        var isFork = !string.Equals(headRepository, $"{owner}/{name}", StringComparison.OrdinalIgnoreCase);
        var reviewApp = await reviewAppTask.ConfigureAwait(false);
        return new PullRequest
        {
            Application = application.Name,
            Number = pr.Number,
            Title = pr.Title,
            Author = pr.User?.Login,
            State = pr.State.StringValue,
            Merged = pr.Merged,
            HeadSha = head,
            HeadBranch = pr.Head.Ref,
            HeadRepository = headRepository ?? (isFork ? "(deleted fork)" : null),
            IsFork = isFork,
            ReviewAppUrl = reviewApp?.Url,
            ReviewAppState = reviewApp?.State,
            ReviewAppEnvironment = reviewApp?.Environment,
            BaseBranch = pr.Base?.Ref,
            Draft = pr.Draft,
            CiState = PullRequestStates.Combine(checks),
            Checks = checks.ToArray(),
            ReviewState = reviewState,
            Approvers = approvers,
            Mergeable = pr.Mergeable,
            MergeableState = pr.MergeableState?.StringValue,
            Url = pr.HtmlUrl,
        };
    }

    /// <summary>The review app, or null (with a warning) when GitHub's deployments cannot be read: it is never worth failing the pull request for.</summary>
    private async Task<ReviewApp?> ReviewAppAsync(Application application, Octokit.PullRequest pr)
    {
        var reporter = GitHubCallContext.Reporter;
        try
        {
            var app = await _connection.ReviewApps.ForHeadAsync(application, pr.Head.Ref, pr.Head.Sha, reporter, GitHubCallContext.CancellationToken).ConfigureAwait(false);
            if (app is null)
            {
                reporter.Verbose($"{application.Name} #{pr.Number}: no GitHub deployment for {pr.Head.Ref}, so no review app.");
            }

            return app;
        }
        catch (GovukDeployException e)
        {
            reporter.Warning($"The review app of {application.Name} #{pr.Number} could not be read from GitHub's deployments ({e.ErrorId}): {e.Message}");
            return null;
        }
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
