using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GovukDeploy.Errors;
using GovukDeploy.GitHub;
using GovukDeploy.Releases;
using GovukDeploy.Reporting;
using NodaTime;
using NodaTime.Testing;

namespace GovukDeploy.Tests;

/// <summary>
/// Wait-Release's engine against the in-process sandbox: merges followed through CI on main, the
/// release tag CI makes, CI's Deploy_App on Integration and the Smokey build that deploy starts.
/// </summary>
public sealed class WaitReleaseTests : IAsyncLifetime
{
    private static readonly ReleaseFollowerOptions Fast = new() { PollInterval = TimeSpan.FromMilliseconds(50) };

    private DeployHarness _h = null!;
    private GitHubConnection _github = null!;
    private Application _frontend = null!;

    public async Task InitializeAsync() => await StartAsync();

    public async Task DisposeAsync()
    {
        _github.Dispose();
        await _h.DisposeAsync();
    }

    /// <summary>Starts the sandbox (again, for a test that needs other options) with a GitHub connection to it.</summary>
    private async Task StartAsync(Action<Sandbox.Hosting.SandboxOptions>? configure = null)
    {
        if (_h is not null)
        {
            _github.Dispose();
            await _h.DisposeAsync();
        }

        _h = await DeployHarness.StartAsync(configure);
        _github = GitHubConnection.Create(new GitHubConnectionOptions
        {
            ApiUrl = _h.Server.BaseUrl + "api/v3/",
            Token = _h.Server.Credentials.GitHubToken,
            CacheDirectory = null,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            CheckPollInterval = TimeSpan.FromMilliseconds(50),
            RequestTimeout = TimeSpan.FromSeconds(20),
        });
        _frontend = (await _h.Store.GetApplicationAsync("frontend"))!;
    }

    private ReleaseFollower Follower(IClock? clock = null, ReleaseFollowerOptions? options = null) =>
        new(_github, _h.Jenkins(), _h.Settings, clock ?? SystemClock.Instance, options ?? Fast);

    private Task<FollowedRelease> FollowAsync(int? pullRequest = null, string? sha = null, TimeSpan? timeout = null, IOperationReporter? reporter = null,
        ReleaseFollower? follower = null) =>
        (follower ?? Follower()).FollowAsync(new ReleaseFollowRequest
        {
            Application = _frontend,
            PullRequest = pullRequest,
            Sha = sha,
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        }, reporter ?? NullReporter.Instance, CancellationToken.None);

    /// <summary>As a developer would: open a pull request whose CI passes, have it approved, wait for CI, merge it.</summary>
    private async Task<MergeResult> MergeNewPullRequestAsync(string title = "Tidy the footer links")
    {
        var pr = await ControlAsync("_sandbox/github/repos/alphagov/frontend/pulls", new { title, ci = "success" });
        var number = pr.GetProperty("number").GetInt32();
        await ControlAsync($"_sandbox/github/repos/alphagov/frontend/pulls/{number}/reviews", new { user = "alice-govuk", state = "APPROVED" });
        await _github.PullRequests.WaitForChecksAsync(_frontend, number, TimeSpan.FromSeconds(30));
        return await _github.PullRequests.MergeAsync(_frontend, number);
    }

    /// <summary>A seeded pull request that is green and approved already, so it merges without waiting for CI.</summary>
    private async Task<MergeResult> MergeSeededPullRequestAsync()
    {
        var ready = (await _github.PullRequests.ListAsync(_frontend)).Single(p => p.Title == "Update the cookie banner wording");
        return await _github.PullRequests.MergeAsync(_frontend, ready.Number);
    }

    private async Task<JsonElement> ControlAsync(string path, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await _h.Http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A fake clock that moves on by each pause the follower takes, so a timeout comes at once and always in the same stage.</summary>
    private static ReleaseFollowerOptions FakeTime(FakeClock clock) => new()
    {
        PollInterval = TimeSpan.FromSeconds(2),
        Delay = async (pause, token) =>
        {
            clock.Advance(Duration.FromTimeSpan(pause));
            await Task.Delay(5, token);
        },
    };

    [Fact]
    public async Task WaitReleaseFollowsAMergedPullRequestThroughCiItsReleaseTheIntegrationDeployAndSmokey()
    {
        var merged = await MergeNewPullRequestAsync();
        var reporter = new RecordingReporter();

        var followed = await FollowAsync(pullRequest: merged.Number, reporter: reporter);

        // frontend has 12 releases; CI's next build on main is 13, and it tags its own commit.
        Assert.Equal("release_13", followed.Tag);
        Assert.Equal(13, followed.Number);
        Assert.Equal(merged.Sha, followed.Commit);
        Assert.Equal(merged.Sha, followed.Sha);
        Assert.Equal(merged.Number, followed.PullRequest);
        Assert.Equal("main", followed.DefaultBranch);
        Assert.True(followed.CiUrl?.Contains("/jenkins/ci/") == true, $"CI's URL: {followed.CiUrl ?? "none"}");
        Assert.Equal(["integration"], followed.DeployedTo);

        var deploy = followed.IntegrationDeploy;
        Assert.Equal(DeploymentStatus.Succeeded, deploy.Status);
        Assert.Equal("integration", deploy.Environment);
        Assert.Equal("release_13", deploy.Release);
        Assert.Equal("CI", deploy.DeployedBy);
        Assert.Equal(DeploymentSource.Jenkins, deploy.Source);
        Assert.Matches("/jenkins/integration/job/Deploy_App/[0-9]+/$", deploy.BuildUrl);
        Assert.NotNull(deploy.FinishedAt);

        Assert.True(followed.SmokeTest.Passed);
        Assert.Equal("integration", followed.SmokeTest.Environment);
        Assert.Matches("/jenkins/integration/job/Smokey/[0-9]+/$", followed.SmokeTest.BuildUrl);
        Assert.True(followed.SmokeTest.StartedAt >= deploy.FinishedAt!.Value.AddSeconds(-1));

        // One parent bar; each stage a child of it, and every bar ended. Other bars may interleave (a GitHub
        // request retried under load shows "Waiting for GitHub"), so the parent is found through its children.
        var updates = reporter.ProgressUpdates.ToList();
        var parent = Assert.Single(updates.Where(u => u.ParentActivityId is not null).Select(u => u.ParentActivityId!.Value).Distinct());
        Assert.Contains(updates, u => u.ActivityId == parent && u.ParentActivityId is null);
        var children = updates.Where(u => u.ParentActivityId == parent).GroupBy(u => u.ActivityId).ToList();
        Assert.Equal(["CI on main", "The release tag", "The Integration deploy", "The smoke tests"], children.Select(c => c.First().Activity));
        Assert.All(children, c => Assert.True(c.Last().Completed));
        Assert.True(updates.Last(u => u.ActivityId == parent).Completed);
        Assert.Contains(reporter.Lines, l => l.Contains(deploy.BuildUrl!));
    }

    [Fact]
    public async Task WaitReleaseGivenTheMergeCommitAloneFindsTheSamePullRequestReleaseAndDeployWhenRunAgainLater()
    {
        var merged = await MergeNewPullRequestAsync();
        var first = await FollowAsync(pullRequest: merged.Number);

        var again = await FollowAsync(sha: merged.Sha![..10]);

        Assert.Equal(first.Tag, again.Tag);
        Assert.Equal(merged.Sha, again.Commit);
        // The pull request that merged it is found for the record.
        Assert.Equal(merged.Number, again.PullRequest);
        Assert.Equal(first.IntegrationDeploy.BuildUrl, again.IntegrationDeploy.BuildUrl);
        Assert.Equal(first.SmokeTest.BuildUrl, again.SmokeTest.BuildUrl);
    }

    [Fact]
    public async Task WaitReleaseStopsWithReleaseCiFailedAndTheCiLinkWhenCiOnMainFails()
    {
        await ControlAsync("_sandbox/ci/alphagov/frontend/next-outcome", new { outcome = "failure" });
        var merged = await MergeNewPullRequestAsync();

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => FollowAsync(pullRequest: merged.Number));

        Assert.Equal("ReleaseCiFailed", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidResult, error.Kind);
        var check = Assert.IsType<CheckResult>(error.Target);
        Assert.Equal(CiState.Failure, check.State);
        Assert.Contains("/jenkins/ci/job/frontend/job/main/", check.Url);
        Assert.Contains(check.Url!, error.Message);
    }

    [Fact]
    public async Task WaitReleaseStopsWithReleaseDeployFailedAndTheBuildLinkWhenCisIntegrationDeployFails()
    {
        await _h.FaultAsync("jenkins", "deploy-fail", environment: "integration");
        var merged = await MergeNewPullRequestAsync();

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => FollowAsync(pullRequest: merged.Number));

        Assert.Equal("ReleaseDeployFailed", error.ErrorId);
        var deployment = Assert.IsType<Deployment>(error.Target);
        Assert.Equal(DeploymentStatus.Failed, deployment.Status);
        Assert.Equal("release_13", deployment.Release);
        Assert.Contains(deployment.BuildUrl!, error.Message);
    }

    [Fact]
    public async Task WaitReleaseStopsWithReleaseSmokeTestFailedAndTheSmokeyLinkWhenTheSmokeTestsFail()
    {
        await _h.FaultAsync("jenkins", "smokey-fail", environment: "integration");
        var merged = await MergeNewPullRequestAsync();

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => FollowAsync(pullRequest: merged.Number));

        Assert.Equal("ReleaseSmokeTestFailed", error.ErrorId);
        var smoke = Assert.IsType<SmokeTestResult>(error.Target);
        Assert.False(smoke.Passed);
        Assert.Matches("/jenkins/integration/job/Smokey/[0-9]+/$", smoke.BuildUrl);
        Assert.Contains(smoke.BuildUrl!, error.Message);
    }

    [Fact]
    public async Task WaitReleaseTimesOutNamingCiWhenCiOnMainIsStillRunning()
    {
        await StartAsync(o => o.CiSeconds = 60);
        var merged = await MergeSeededPullRequestAsync();
        var clock = new FakeClock(DeployHarness.TuesdayMorning);

        var error = await Assert.ThrowsAsync<ReleaseWaitTimeoutException>(() =>
            FollowAsync(pullRequest: merged.Number, timeout: TimeSpan.FromSeconds(10), follower: Follower(clock, FakeTime(clock))));

        Assert.Equal("ReleaseWaitTimedOut", error.ErrorId);
        Assert.Equal(ErrorKind.OperationTimeout, error.Kind);
        Assert.Equal(ReleaseStage.Ci, error.Stage);
        Assert.Contains("while waiting for CI on main", error.Message);
        Assert.Contains("10 seconds", error.Message);
        Assert.Equal(merged.Sha, error.Target);
        Assert.Equal(DeployHarness.TuesdayMorning + Duration.FromSeconds(10), clock.GetCurrentInstant());
    }

    [Fact]
    public async Task WaitReleaseTimesOutNamingTheReleaseTagWhenCiPassedButNothingIsTagged()
    {
        await StartAsync(o => o.CiSeconds = 60);
        var merged = await MergeSeededPullRequestAsync();
        // CI reports success on the commit, but the job that would tag it is still running.
        await SetStatusAsync(merged.Sha!, "success");
        var clock = new FakeClock(DeployHarness.TuesdayMorning);

        var error = await Assert.ThrowsAsync<ReleaseWaitTimeoutException>(() =>
            FollowAsync(pullRequest: merged.Number, timeout: TimeSpan.FromSeconds(10), follower: Follower(clock, FakeTime(clock))));

        Assert.Equal(ReleaseStage.ReleaseTag, error.Stage);
        Assert.Contains("while waiting for the release tag", error.Message);
        Assert.Contains("no release_* tag contains", error.Message);
    }

    [Fact]
    public async Task WaitReleaseTimesOutNamingTheIntegrationDeployWhileItHangs()
    {
        await _h.FaultAsync("jenkins", "deploy-hang", environment: "integration");
        var merged = await MergeNewPullRequestAsync();

        var error = await Assert.ThrowsAsync<ReleaseWaitTimeoutException>(() => FollowAsync(pullRequest: merged.Number, timeout: TimeSpan.FromSeconds(6)));

        Assert.Equal(ReleaseStage.IntegrationDeploy, error.Stage);
        Assert.Matches("while waiting for the Integration deploy: Deploy_App #[0-9]+ is still running", error.Message);
    }

    [Fact]
    public async Task WaitReleaseStopsAtOnceWhenCancelledWhileItWaits()
    {
        await StartAsync(o => o.CiSeconds = 60);
        var merged = await MergeSeededPullRequestAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var patient = new ReleaseFollowerOptions { PollInterval = TimeSpan.FromSeconds(30) };
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Follower(options: patient).FollowAsync(
            new ReleaseFollowRequest { Application = _frontend, PullRequest = merged.Number }, NullReporter.Instance, cancel.Token));

        // In the middle of a 30-second pause, Ctrl+C's token ends the wait.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task WaitReleaseRefusesAPullRequestThatIsNotMergedAndOneThatDoesNotExist()
    {
        var open = (await _github.PullRequests.ListAsync(_frontend)).Single(p => p.Title == "Fix a typo in the footer");

        var notMerged = await Assert.ThrowsAsync<GovukDeployException>(() => FollowAsync(pullRequest: open.Number));
        var missing = await Assert.ThrowsAsync<GovukDeployException>(() => FollowAsync(pullRequest: 9999));

        Assert.Equal("PullRequestNotMerged", notMerged.ErrorId);
        Assert.Equal(ErrorKind.InvalidOperation, notMerged.Kind);
        Assert.Equal(open.Number, notMerged.Target);
        Assert.Contains("Merge-PullRequest", notMerged.Message);
        Assert.Equal("PullRequestNotFound", missing.ErrorId);
        Assert.Equal(9999, missing.Target);
    }

    [Fact]
    public async Task WaitReleaseRefusesACommitThatIsNotOnTheDefaultBranchOrNotASha()
    {
        var open = (await _github.PullRequests.ListAsync(_frontend)).Single(p => p.Title == "Fix a typo in the footer");

        var offBranch = await Assert.ThrowsAsync<GovukDeployException>(() => FollowAsync(sha: open.HeadSha));
        var notSha = await Assert.ThrowsAsync<GovukDeployException>(() => FollowAsync(sha: "release_12"));
        var unknown = await Assert.ThrowsAsync<GovukDeployException>(() => FollowAsync(sha: "0123456789abcdef"));

        Assert.Equal("CommitNotOnDefaultBranch", offBranch.ErrorId);
        Assert.Equal("InvalidSha", notSha.ErrorId);
        Assert.Equal("CommitNotFound", unknown.ErrorId);
    }

    [Fact]
    public async Task WaitReleaseChoosesTheFirstReleaseThatContainsACommitWithFewComparesAndAsksAgainOnlyAboutNewTags()
    {
        // Each seeded change is a feature commit merged by a merge commit tagged release_N.
        var closed = await _github.PullRequests.ListAsync(_frontend, PullRequestStateFilter.Closed);
        var feature = closed.Single(p => p.Title == "Change 5 to frontend").HeadSha;
        var commits = new GitHubCommits(_github);

        var first = await commits.FindFirstReleaseContainingAsync(_frontend, feature);
        var sent = commits.ComparesSent;
        var again = await commits.FindFirstReleaseContainingAsync(_frontend, feature);

        Assert.Equal("release_5", first!.Tag);
        Assert.Equal(5, first.Number);
        Assert.Equal("release_5", again!.Tag);
        Assert.InRange(sent, 1, 5);
        Assert.Equal(sent, commits.ComparesSent);

        var open = (await _github.PullRequests.ListAsync(_frontend)).Single(p => p.Title == "Fix a typo in the footer");
        Assert.Null(await commits.FindFirstReleaseContainingAsync(_frontend, open.HeadSha));
    }

    private async Task SetStatusAsync(string sha, string state)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v3/repos/alphagov/frontend/statuses/{sha}")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { state, context = "continuous-integration/jenkins/branch", target_url = _h.Server.BaseUrl + "jenkins/ci/" }),
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("token", _h.Server.Credentials.GitHubToken);
        request.Headers.UserAgent.ParseAdd("tests");
        using var response = await _h.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"setting a status answered {(int)response.StatusCode}");
    }
}
