using GovukDeploy.Errors;
using GovukDeploy.GitHub;

namespace GovukDeploy.Tests;

/// <summary>Review apps from GitHub's deployments, forks and bad input, through the engine against the sandbox's GitHub.</summary>
public sealed class GitHubReviewAppTests
{
    private const string Ready = "Update the cookie banner wording";
    private static readonly Application Frontend = GitHubSandbox.App("frontend");
    private static readonly Application Whitehall = GitHubSandbox.App("whitehall");

    [Fact]
    public async Task APullRequestOfAnApplicationWithReviewAppsShowsItsAddressAndState()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();

        var pulls = await github.PullRequests.ListAsync(Frontend);

        Assert.Equal(5, pulls.Count);
        Assert.All(pulls, p =>
        {
            Assert.Equal($"{sandbox.Server.BaseUrl}review-apps/frontend-pr-{p.Number}/", p.ReviewAppUrl);
            Assert.Equal("success", p.ReviewAppState);
            Assert.Equal($"frontend-pr-{p.Number}", p.ReviewAppEnvironment);
            Assert.False(p.IsFork);
            Assert.Equal("alphagov/frontend", p.HeadRepository);
        });
        // The address answers: the sandbox serves each review app's page.
        using var page = await sandbox.Http.GetAsync(pulls[0].ReviewAppUrl);
        Assert.True(page.IsSuccessStatusCode);
    }

    [Fact]
    public async Task TheNewestDeploymentOfTheHeadAndItsNewestStatusGiveTheAddress()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var opened = await sandbox.PostAsync("_sandbox/github/repos/alphagov/whitehall/pulls", new { title = "Review me", ci = "success" });
        var number = opened.GetProperty("number").GetInt32();
        var github = sandbox.Connect();
        var pr = await github.PullRequests.GetAsync(Whitehall, number);
        Assert.Null(pr.ReviewAppUrl);
        Assert.Null(pr.ReviewAppState);

        // An older integration gives the address as target_url only.
        await sandbox.PostAsync("_sandbox/github/repos/alphagov/whitehall/deployments",
            new { @ref = pr.HeadBranch, environment = "whitehall-pr-old", state = "success", target_url = "https://old.example/" });
        Assert.Equal("https://old.example/", (await github.PullRequests.GetAsync(Whitehall, number)).ReviewAppUrl);

        await sandbox.PostAsync("_sandbox/github/repos/alphagov/whitehall/deployments",
            new { @ref = pr.HeadBranch, environment = "whitehall-pr-new", state = "in_progress", environment_url = "https://new.example/" });
        var newest = await github.PullRequests.GetAsync(Whitehall, number);
        Assert.Equal("https://new.example/", newest.ReviewAppUrl);
        Assert.Equal("in_progress", newest.ReviewAppState);
        Assert.Equal("whitehall-pr-new", newest.ReviewAppEnvironment);
    }

    [Fact]
    public async Task ADeploymentWithNoStatusesLeavesTheFieldsEmptyWithAVerboseNote()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var opened = await sandbox.PostAsync("_sandbox/github/repos/alphagov/whitehall/pulls", new { title = "Review me", ci = "success" });
        var number = opened.GetProperty("number").GetInt32();
        var github = sandbox.Connect();
        var branch = (await github.PullRequests.GetAsync(Whitehall, number)).HeadBranch;
        await sandbox.PostAsync("_sandbox/github/repos/alphagov/whitehall/deployments", new { @ref = branch, environment = "whitehall-pr-" + number });
        var reporter = new RecordingReporter();

        var pr = await github.PullRequests.GetAsync(Whitehall, number, reporter);

        Assert.Null(pr.ReviewAppUrl);
        Assert.Null(pr.ReviewAppState);
        Assert.Equal("whitehall-pr-" + number, pr.ReviewAppEnvironment);
        Assert.Contains(reporter.VerboseLines, l => l.Contains("has no statuses yet"));
        Assert.Empty(reporter.Warnings);
    }

    [Fact]
    public async Task AnAddressThatIsNotHttpIsNeverPassedOn()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var pr = (await github.PullRequests.ListAsync(Frontend)).Single(p => p.Title == Ready);
        await sandbox.PostAsync("_sandbox/github/repos/alphagov/frontend/deployments",
            new { @ref = pr.HeadBranch, environment = "frontend-pr-x", state = "success", environment_url = "javascript:alert(1)" });
        var reporter = new RecordingReporter();

        var again = await github.PullRequests.GetAsync(Frontend, pr.Number, reporter);

        Assert.Null(again.ReviewAppUrl);
        Assert.Equal("success", again.ReviewAppState);
        Assert.Contains(reporter.VerboseLines, l => l.Contains("not http or https"));
        Assert.Null(SafeUrl.Http("file:///etc/passwd"));
        Assert.Null(SafeUrl.Http("https://example.gov.uk/\u001b[2J"));
        Assert.Equal("https://example.gov.uk/a", SafeUrl.Http(" https://example.gov.uk/a "));
    }

    [Fact]
    public async Task APullRequestFromAForkSaysSo()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var opened = await sandbox.PostAsync("_sandbox/github/repos/alphagov/frontend/pulls", new { title = "A fix from outside", ci = "success", author = "bob-govuk", fork = true });
        var github = sandbox.Connect();

        var pr = await github.PullRequests.GetAsync(Frontend, opened.GetProperty("number").GetInt32());

        Assert.True(pr.IsFork);
        Assert.Equal("bob-govuk/frontend", pr.HeadRepository);
        Assert.Equal(opened.GetProperty("head_sha").GetString(), pr.HeadSha);
        Assert.False(await github.Refs.BranchExistsAsync(Frontend, pr.HeadBranch!));
    }

    [Fact]
    public async Task BadInputIsAClearError()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();

        var noPull = await Assert.ThrowsAsync<GovukDeployException>(() => github.PullRequests.GetAsync(Frontend, 999));
        Assert.Equal("PullRequestNotFound", noPull.ErrorId);

        await sandbox.PostAsync("_sandbox/github/repos/alphagov/frontend/visibility", new { visibility = "private" });
        var outsider = (await sandbox.PostAsync("_sandbox/github/tokens", new { login = "outsider" })).GetProperty("token").GetString();
        var stranger = sandbox.Connect(outsider);
        var hidden = await Assert.ThrowsAsync<GovukDeployException>(() => stranger.PullRequests.GetAsync(Frontend, 13));
        Assert.Equal("RepositoryNotFound", hidden.ErrorId);
        Assert.Contains("may be private and the token may lack access", hidden.Message);

        // A member of the organisation still sees it, and that it is private.
        Assert.Equal(RepositoryVisibility.Private, await github.Repositories.GetVisibilityAsync(Frontend));
        Assert.Equal(RepositoryVisibility.Public, await github.Repositories.GetVisibilityAsync(Whitehall));
    }

    [Fact]
    public void WithNoBrowserAnAddressIsNotOpenedAndThatIsSaid()
    {
        var saved = (Environment.GetEnvironmentVariable("BROWSER"), Environment.GetEnvironmentVariable("DISPLAY"), Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"));
        try
        {
            Environment.SetEnvironmentVariable("BROWSER", null);
            Environment.SetEnvironmentVariable("DISPLAY", null);
            Environment.SetEnvironmentVariable("WAYLAND_DISPLAY", null);
            if (OperatingSystem.IsLinux())
            {
                Assert.False(Browser.TryOpen("https://example.gov.uk/", out var why));
                Assert.Contains("no browser", why);
            }

            Assert.False(Browser.TryOpen("javascript:alert(1)", out var unsafeWhy));
            Assert.Contains("not an http or https address", unsafeWhy);
        }
        finally
        {
            Environment.SetEnvironmentVariable("BROWSER", saved.Item1);
            Environment.SetEnvironmentVariable("DISPLAY", saved.Item2);
            Environment.SetEnvironmentVariable("WAYLAND_DISPLAY", saved.Item3);
        }
    }
}
