using GovukDeploy.Errors;
using GovukDeploy.GitHub;

namespace GovukDeploy.Tests;

/// <summary>Get-PullRequest, Wait-PullRequestCheck and Merge-PullRequest's engine against the sandbox's seeded pull requests.</summary>
public sealed class GitHubPullRequestTests
{
    private const string Ready = "Update the cookie banner wording";
    private const string CiFailing = "Upgrade the govuk_publishing_components gem";
    private const string ChangesRequested = "Cache the homepage for longer";
    private const string Draft = "Try a new layout for the find-local-council page";
    private const string Unreviewed = "Fix a typo in the footer";

    private static readonly Application Frontend = GitHubSandbox.App("frontend");

    [Fact]
    public async Task EachSeededPullRequestHasTheRightCiAndReviewState()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();

        var pulls = (await github.PullRequests.ListAsync(Frontend)).ToDictionary(p => p.Title);

        Assert.Equal(5, pulls.Count);
        AssertState(pulls[Ready], CiState.Success, ReviewState.Approved, draft: false, ["alice-govuk"]);
        AssertState(pulls[CiFailing], CiState.Failure, ReviewState.Approved, draft: false, ["bob-govuk"]);
        AssertState(pulls[ChangesRequested], CiState.Success, ReviewState.ChangesRequested, draft: false, []);
        AssertState(pulls[Draft], CiState.Pending, ReviewState.ReviewRequired, draft: true, []);
        AssertState(pulls[Unreviewed], CiState.Success, ReviewState.ReviewRequired, draft: false, []);

        // Commit statuses and check runs are both listed.
        var checks = pulls[CiFailing].Checks;
        Assert.Contains(checks, c => c.Kind == CheckKind.Status && c.State == CiState.Failure);
        Assert.Contains(checks, c => c.Kind == CheckKind.CheckRun && c.State == CiState.Failure);
        Assert.All(pulls.Values, p => Assert.Equal(40, p.HeadSha.Length));
        Assert.Equal("sandbox-developer", pulls[Ready].Author);
        Assert.True(pulls[Ready].Mergeable);
    }

    [Fact]
    public async Task ALaterChangeRequestBeatsTheSameReviewersEarlierApprovalAndCommentsDoNotCount()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var number = (await github.PullRequests.ListAsync(Frontend)).Single(p => p.Title == Ready).Number;

        await Review(sandbox, number, "alice-govuk", "CHANGES_REQUESTED", "On second thoughts, the wording needs legal sign-off");
        var afterChange = await github.PullRequests.GetAsync(Frontend, number);
        Assert.Equal(ReviewState.ChangesRequested, afterChange.ReviewState);
        Assert.Empty(afterChange.Approvers);

        await Review(sandbox, number, "alice-govuk", "APPROVED", "Signed off");
        await Review(sandbox, number, "alice-govuk", "COMMENTED", "Nit: a comma");
        var afterApproval = await github.PullRequests.GetAsync(Frontend, number);
        Assert.Equal(ReviewState.Approved, afterApproval.ReviewState);
        Assert.Equal(["alice-govuk"], afterApproval.Approvers);
    }

    [Fact]
    public void DismissedReviewsAndCommentsAreIgnoredAndEachReviewerCountsOnce()
    {
        var t = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        PullRequestStates.Review R(string who, string state, int minutes, long id) => new(who, state, t.AddMinutes(minutes), id);

        Assert.Equal(ReviewState.ReviewRequired,
            PullRequestStates.FoldReviews([R("alice", "DISMISSED", 0, 1), R("bob", "COMMENTED", 1, 2)]).State);
        var (state, approvers) = PullRequestStates.FoldReviews([R("alice", "CHANGES_REQUESTED", 0, 1), R("alice", "APPROVED", 5, 2), R("bob", "APPROVED", 1, 3)]);
        Assert.Equal(ReviewState.Approved, state);
        Assert.Equal(["alice", "bob"], approvers);
        Assert.Equal(ReviewState.ChangesRequested,
            PullRequestStates.FoldReviews([R("alice", "APPROVED", 0, 1), R("carol", "APPROVED", 1, 2), R("carol", "CHANGES_REQUESTED", 2, 3)]).State);
    }

    [Fact]
    public void CiSignalsFoldIntoOneState()
    {
        CheckResult C(CiState s) => new() { Name = s.ToString(), State = s };
        Assert.Equal(CiState.Pending, PullRequestStates.Combine([]));
        Assert.Equal(CiState.Success, PullRequestStates.Combine([C(CiState.Success), C(CiState.Success)]));
        Assert.Equal(CiState.Pending, PullRequestStates.Combine([C(CiState.Success), C(CiState.Pending)]));
        Assert.Equal(CiState.Failure, PullRequestStates.Combine([C(CiState.Failure), C(CiState.Pending)]));
        Assert.Equal(CiState.Success, PullRequestStates.FoldCheckRun("completed", "skipped"));
        Assert.Equal(CiState.Success, PullRequestStates.FoldCheckRun("completed", "neutral"));
        Assert.Equal(CiState.Failure, PullRequestStates.FoldCheckRun("completed", "timed_out"));
        Assert.Equal(CiState.Failure, PullRequestStates.FoldCheckRun("completed", "action_required"));
        Assert.Equal(CiState.Pending, PullRequestStates.FoldCheckRun("queued", null));
        Assert.Equal(CiState.Failure, PullRequestStates.FoldStatus("error"));
    }

    [Theory]
    [InlineData(Draft, "draft")]
    [InlineData(CiFailing, "CI failed")]
    [InlineData(ChangesRequested, "requested changes")]
    [InlineData(Unreviewed, "no approving review")]
    public async Task AMergeIsRefusedForEachUnmetConditionAndNothingIsSent(string title, string reason)
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var pr = (await github.PullRequests.ListAsync(Frontend)).Single(p => p.Title == title);
        var mainBefore = sandbox.BranchHead("frontend");

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => github.PullRequests.MergeAsync(Frontend, pr.Number));

        Assert.Equal("PullRequestNotReady", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidOperation, error.Kind);
        Assert.Contains(reason, error.Message);
        Assert.Contains($"#{pr.Number}", error.Message);
        Assert.Equal(mainBefore, sandbox.BranchHead("frontend"));
        Assert.Equal("open", (await github.PullRequests.GetAsync(Frontend, pr.Number)).State);
    }

    [Fact]
    public async Task AReadyPullRequestMergesWithTheCheckedHead()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var pr = (await github.PullRequests.ListAsync(Frontend)).Single(p => p.Title == Ready);

        var result = await github.PullRequests.MergeAsync(Frontend, pr.Number, MergeMethod.Merge);

        Assert.True(result.Merged);
        Assert.Equal(pr.HeadSha, result.HeadSha);
        Assert.Equal(result.Sha, sandbox.BranchHead("frontend"));
        var after = await github.PullRequests.GetAsync(Frontend, pr.Number);
        Assert.Equal("closed", after.State);
        Assert.True(after.Merged);
        var again = await Assert.ThrowsAsync<GovukDeployException>(() => github.PullRequests.MergeAsync(Frontend, pr.Number));
        Assert.Contains("already merged", again.Message);
    }

    [Fact]
    public async Task MergedPullRequestsAreListedAsClosedAndFirstLimitsTheList()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var ready = (await github.PullRequests.ListAsync(Frontend)).Single(p => p.Title == Ready);
        await github.PullRequests.MergeAsync(Frontend, ready.Number, MergeMethod.Rebase);

        var open = await github.PullRequests.ListAsync(Frontend);
        var closed = await github.PullRequests.ListAsync(Frontend, PullRequestStateFilter.Closed);
        var all = await github.PullRequests.ListAsync(Frontend, PullRequestStateFilter.All);
        var newestTwo = await github.PullRequests.ListAsync(Frontend, PullRequestStateFilter.All, first: 2);

        // The seed's history holds earlier, merged pull requests too (one per release).
        Assert.Equal(4, open.Count);
        var merged = Assert.Single(closed, p => p.Number == ready.Number);
        Assert.True(merged.Merged);
        Assert.All(closed, p => Assert.NotEqual("open", p.State));
        Assert.Equal(open.Count + closed.Count, all.Count);
        Assert.Equal(2, newestTwo.Count);
        Assert.Equal(all.Take(2).Select(p => p.Number), newestTwo.Select(p => p.Number));
    }

    [Fact]
    public async Task APushAfterTheChecksWereReadFailsTheMergeWithPullRequestHeadChanged()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var pr = (await github.PullRequests.ListAsync(Frontend)).Single(p => p.Title == Ready);
        github.PullRequests.BeforeMerge = async checkedPr =>
        {
            // Someone pushes between our checks and the merge.
            await sandbox.PostAsync($"_sandbox/github/repos/alphagov/frontend/pulls/{checkedPr.Number}/push", new { ci = "success", message = "Sneaky late change" });
        };
        var mainBefore = sandbox.BranchHead("frontend");

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => github.PullRequests.MergeAsync(Frontend, pr.Number));

        Assert.Equal("PullRequestHeadChanged", error.ErrorId);
        Assert.Contains(pr.HeadSha[..7], error.Message);
        Assert.Equal(mainBefore, sandbox.BranchHead("frontend"));
        Assert.Equal(0, github.Statistics.Retries);
    }

    [Fact]
    public async Task AMergeThatMeetsAServerErrorIsNotRetried()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var pr = (await github.PullRequests.ListAsync(Frontend)).Single(p => p.Title == Ready);
        github.PullRequests.BeforeMerge = _ => sandbox.InjectAsync(new { service = "github", kind = "errors", count = 1, status = 502 });

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => github.PullRequests.MergeAsync(Frontend, pr.Number));

        Assert.Equal("GitHubUnavailable", error.ErrorId);
        Assert.Equal(0, github.Statistics.Retries);
        Assert.Equal("open", (await github.PullRequests.GetAsync(Frontend, pr.Number)).State);
    }

    [Fact]
    public async Task AMergeWhoseConnectionDropsIsNotRetriedAndSaysTheOutcomeIsUnknown()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var pr = (await github.PullRequests.ListAsync(Frontend)).Single(p => p.Title == Ready);
        github.PullRequests.BeforeMerge = _ => sandbox.InjectAsync(new { service = "github", kind = "drop", count = 1 });

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => github.PullRequests.MergeAsync(Frontend, pr.Number));

        Assert.Equal("GitHubWriteInterrupted", error.ErrorId);
        Assert.Equal(ErrorKind.ConnectionError, error.Kind);
        Assert.Equal(0, github.Statistics.Retries);
    }

    [Fact]
    public async Task WaitingForChecksReturnsOnceCiFinishesAndReportsProgress()
    {
        await using var sandbox = await GitHubSandbox.StartAsync(ciSeconds: 1.5);
        var github = sandbox.Connect();
        var created = await sandbox.PostAsync("_sandbox/github/repos/alphagov/frontend/pulls", new { title = "Tidy the header", ci = "success" });
        var number = created.GetProperty("number").GetInt32();
        var reporter = new RecordingReporter();

        var pending = await github.PullRequests.GetAsync(Frontend, number);
        var done = await github.PullRequests.WaitForChecksAsync(Frontend, number, TimeSpan.FromSeconds(30), reporter);

        Assert.Equal(CiState.Pending, pending.CiState);
        Assert.Equal(CiState.Success, done.CiState);
        Assert.Contains(reporter.ProgressUpdates, p => !p.Completed);
        Assert.True(reporter.ProgressUpdates.Last().Completed);
    }

    [Fact]
    public async Task WaitingForChecksThatNeverFinishTimesOut()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var number = (await github.PullRequests.ListAsync(Frontend)).Single(p => p.Title == Draft).Number;

        var error = await Assert.ThrowsAsync<GovukDeployException>(() =>
            github.PullRequests.WaitForChecksAsync(Frontend, number, TimeSpan.FromMilliseconds(600)));

        Assert.Equal("PullRequestCheckTimeout", error.ErrorId);
        Assert.Equal(ErrorKind.OperationTimeout, error.Kind);
    }

    [Fact]
    public async Task WaitingHonoursCancellation()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var number = (await github.PullRequests.ListAsync(Frontend)).Single(p => p.Title == Draft).Number;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            github.PullRequests.WaitForChecksAsync(Frontend, number, TimeSpan.FromMinutes(5), cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task APullRequestThatDoesNotExistIsPullRequestNotFound()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => github.PullRequests.GetAsync(Frontend, 9999));

        Assert.Equal("PullRequestNotFound", error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);
        Assert.Contains("#9999", error.Message);
    }

    private static void AssertState(PullRequest pr, CiState ci, ReviewState review, bool draft, string[] approvers)
    {
        Assert.Equal(ci, pr.CiState);
        Assert.Equal(review, pr.ReviewState);
        Assert.Equal(draft, pr.Draft);
        Assert.Equal(approvers, pr.Approvers);
        Assert.Equal("frontend", pr.Application);
    }

    private static Task Review(GitHubSandbox sandbox, int number, string user, string state, string body) =>
        sandbox.PostAsync($"_sandbox/github/repos/alphagov/frontend/pulls/{number}/reviews", new { user, state, body });
}
