using GovukDeploy.Errors;
using GovukDeploy.GitHub;

namespace GovukDeploy.Tests;

/// <summary>Get-UndeployedChange's engine against the sandbox: compare, authors, PR numbers, the 250-commit cap, never deployed.</summary>
public sealed class GitHubChangeTests
{
    [Fact]
    public async Task ChangesBetweenTwoReleasesComeOldestFirstWithPrNumbersAndOtherAuthorsMarked()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();

        var set = await github.Changes.GetUndeployedAsync(GitHubSandbox.App("whitehall"), "production", "release_5", "release_8");

        Assert.False(set.NeverDeployed);
        Assert.Equal("release_5", set.Base);
        Assert.Equal("release_8", set.Head);
        Assert.Equal(6, set.TotalCommits);
        Assert.Equal(0, set.MoreCount);
        Assert.Equal(
            ["Change 6 to whitehall", "Merge pull request #6 from alphagov/change-6",
             "Change 7 to whitehall", "Merge pull request #7 from alphagov/change-7",
             "Change 8 to whitehall", "Merge pull request #8 from alphagov/change-8"],
            set.Changes.Select(c => c.Message));
        Assert.Equal([null, 6, null, 7, null, 8], set.Changes.Select(c => c.PullRequest));
        Assert.Equal(["bob-govuk", "bob-govuk", "carol-govuk", "carol-govuk", "sandbox-developer", "sandbox-developer"], set.Changes.Select(c => c.Author));
        // The token belongs to sandbox-developer: only release 8's commits are this user's own.
        Assert.Equal([true, true, true, true, false, false], set.Changes.Select(c => c.IsOtherAuthor));
        Assert.True(set.Changes.Zip(set.Changes.Skip(1)).All(p => p.First.Date <= p.Second.Date));
    }

    [Fact]
    public async Task TheTargetDefaultsToTheLatestRelease()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();

        var set = await github.Changes.GetUndeployedAsync(GitHubSandbox.App("whitehall"), "staging", "release_118");

        Assert.Equal("release_120", set.Head);
        Assert.Equal(4, set.Changes.Length);
        Assert.Equal(120, set.Changes[^1].PullRequest);
    }

    [Fact]
    public async Task AnEnvironmentThatWasNeverDeployedSaysSoInsteadOfGuessing()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();

        var set = await github.Changes.GetUndeployedAsync(GitHubSandbox.App("frontend"), "production", deployed: null);

        Assert.True(set.NeverDeployed);
        Assert.Null(set.Base);
        Assert.Equal("release_12", set.Head);
        Assert.Empty(set.Changes);
    }

    [Fact]
    public async Task MoreThan250CommitsArePagedThroughOrTheRemainderIsCounted()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        // 200 releases: 400 commits after the first, beyond compare's unpaginated cap of 250.
        sandbox.Server.Seed.App("big-app", null, 200);
        var github = sandbox.Connect();
        var app = GitHubSandbox.App("big-app");

        var all = await github.Changes.GetUndeployedAsync(app, "production", "release_1", "release_200");
        Assert.Equal(398, all.TotalCommits);
        Assert.Equal(398, all.Changes.Length);
        Assert.Equal(398, all.Changes.Select(c => c.Sha).Distinct().Count());
        Assert.Equal("Change 2 to big-app", all.Changes[0].Message);
        Assert.Equal("Merge pull request #200 from alphagov/change-200", all.Changes[^1].Message);
        Assert.False(all.Truncated);

        var capped = await github.Changes.GetUndeployedAsync(app, "production", "release_1", "release_200", maxCommits: 300);
        Assert.Equal(398, capped.TotalCommits);
        Assert.Equal(300, capped.Changes.Length);
        Assert.Equal(98, capped.MoreCount);
        Assert.True(capped.Truncated);
        Assert.Equal(all.Changes.Take(300).Select(c => c.Sha), capped.Changes.Select(c => c.Sha));
    }

    [Fact]
    public async Task ASquashMergeTitleGivesItsPrNumber()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var app = GitHubSandbox.App("frontend");
        var ready = (await github.PullRequests.ListAsync(app)).Single(p => p.Title == "Update the cookie banner wording");

        await github.PullRequests.MergeAsync(app, ready.Number, MergeMethod.Squash);
        var set = await github.Changes.GetUndeployedAsync(app, "integration", "release_12", "main");

        var change = Assert.Single(set.Changes);
        Assert.Equal($"Update the cookie banner wording (#{ready.Number})", change.Message);
        Assert.Equal(ready.Number, change.PullRequest);
        Assert.False(change.IsOtherAuthor);
    }

    [Fact]
    public async Task ARefThatDoesNotExistIsCompareRefNotFound()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();

        var error = await Assert.ThrowsAsync<GovukDeployException>(() =>
            github.Changes.GetUndeployedAsync(GitHubSandbox.App("frontend"), "staging", "release_404", "release_12"));

        Assert.Equal("CompareRefNotFound", error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);
        Assert.Contains("release_404", error.Message);
    }

    [Theory]
    [InlineData("Merge pull request #123 from alphagov/fix-footer", 123)]
    [InlineData("Fix the footer (#456)", 456)]
    [InlineData("Fix the footer (#456) ", 456)]
    [InlineData("Bump rails from 7.1 to 7.2 (#7) (#8)", 8)]
    [InlineData("Fix #12 in the footer", null)]
    [InlineData("Merge branch 'main' into fix", null)]
    [InlineData("", null)]
    public void PullRequestNumbersComeFromMergeAndSquashMessages(string firstLine, int? expected) =>
        Assert.Equal(expected, GitHubChanges.PullRequestNumber(firstLine));
}
