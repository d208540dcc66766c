using GovukDeploy.Errors;
using GovukDeploy.GitHub;

namespace GovukDeploy.Tests;

/// <summary>Every GitHub URL is built from checked, escaped parts: no repository or ref can walk the path.</summary>
public sealed class GitHubPathTests
{
    [Theory]
    [InlineData("../..")]
    [InlineData("alphagov/..")]
    [InlineData("../x")]
    [InlineData("./x")]
    public async Task ARepositoryThatWalksThePathIsRefusedBeforeAnyRequest(string repository)
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        // As a store written before names were checked might still hold it.
        var app = new Application { Name = "frontend", Repository = repository, DeployName = "frontend", ReleaseTagPattern = "release_*" };
        var error = await Assert.ThrowsAsync<GovukDeployException>(() => github.Releases.ListReleaseTagsAsync(app));
        Assert.Equal("InvalidRepository", error.ErrorId);
    }

    [Fact]
    public async Task ABranchWithOddCharactersReachesGitHubWhole()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        const string odd = "feature/a#b?c=d%20e";
        var head = sandbox.BranchHead("frontend");
        lock (sandbox.Server.GitHub.Sync)
        {
            sandbox.Server.GitHub.FindRepository("alphagov", "frontend")!.Branches[odd] = head;
        }

        var github = sandbox.Connect();
        // Unescaped, '#' would end the path at "feature/a" and '?' would start a query: no such branch.
        Assert.Equal(head, await github.Refs.BranchHeadAsync(GitHubSandbox.App("frontend"), odd));
        Assert.True(await github.Refs.BranchExistsAsync(GitHubSandbox.App("frontend"), odd));
        Assert.False(await github.Refs.BranchExistsAsync(GitHubSandbox.App("frontend"), "feature/a"));
    }

    [Theory]
    [InlineData("../../../user")]
    [InlineData("a/../b")]
    [InlineData("a//b")]
    public async Task ARefThatWalksThePathIsRefused(string branch)
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var error = await Assert.ThrowsAsync<GovukDeployException>(() => github.Refs.BranchHeadAsync(GitHubSandbox.App("frontend"), branch));
        Assert.Equal(("InvalidReference", ErrorKind.InvalidArgument), (error.ErrorId, error.Kind));
    }
}
