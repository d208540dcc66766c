using System.Net;
using System.Text.Json;
using Octokit;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>
/// The sandbox's private repositories, deployments, review apps and forks, read and written with Octokit, a
/// GitHub client no one here wrote: if Octokit parses them, they have the shapes GitHub documents.
/// </summary>
public sealed class DeploymentsAndVisibilityTests
{
    private static async Task<string> TokenAsync(TestSandbox sandbox, string login, bool member = false)
    {
        using var response = await sandbox.PostJson("_sandbox/github/tokens", new { login, member });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
    }

    private static GitHubClient As(TestSandbox sandbox, string token) =>
        new(new ProductHeaderValue("govukdeploy-sandbox-tests"), new Uri(sandbox.BaseUrl)) { Credentials = new Credentials(token) };

    [Fact]
    public async Task APrivateRepositorySaysSoToMembersAndIs404ToEveryoneElse()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var github = sandbox.GitHub();
        var before = await github.Repository.Get("alphagov", "frontend");
        Assert.False(before.Private);
        Assert.Equal(RepositoryVisibility.Public, before.Visibility);

        using var made = await sandbox.PostJson("_sandbox/github/repos/alphagov/frontend/visibility", new { visibility = "private" });
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);

        var after = await github.Repository.Get("alphagov", "frontend");
        Assert.True(after.Private);
        Assert.Equal(RepositoryVisibility.Private, after.Visibility);

        // GitHub's answer to a token without access, and to no token, is 404 for the repository and everything under it.
        var outsider = As(sandbox, await TokenAsync(sandbox, "outsider"));
        await Assert.ThrowsAsync<NotFoundException>(() => outsider.Repository.Get("alphagov", "frontend"));
        await Assert.ThrowsAsync<NotFoundException>(() => outsider.PullRequest.GetAllForRepository("alphagov", "frontend"));
        await Assert.ThrowsAsync<NotFoundException>(() => sandbox.GitHub(authenticated: false).Git.Reference.Get("alphagov", "frontend", "heads/main"));
        Assert.DoesNotContain(await outsider.Repository.GetAllForOrg("alphagov"), r => r.Name == "frontend");
        Assert.Contains(await github.Repository.GetAllForOrg("alphagov"), r => r.Name == "frontend" && r.Private);

        // A member's token sees it; public repositories stay open to all.
        var member = As(sandbox, await TokenAsync(sandbox, "new-starter", member: true));
        Assert.True((await member.Repository.Get("alphagov", "frontend")).Private);
        Assert.False((await outsider.Repository.Get("alphagov", "whitehall")).Private);
    }

    [Fact]
    public async Task ReviewAppsAreDeploymentsWithStatusesThatOctokitReads()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var github = sandbox.GitHub();
        var pull = (await github.PullRequest.GetAllForRepository("alphagov", "frontend")).First();

        var deployments = await github.Repository.Deployment.GetAll("alphagov", "frontend");
        var deployment = Assert.Single(deployments, d => d.Environment == $"frontend-pr-{pull.Number}");
        Assert.Equal(pull.Head.Ref, deployment.Ref);
        Assert.Equal(pull.Head.Sha, deployment.Sha);
        Assert.Equal("deploy", deployment.Task);
        Assert.True(deployment.TransientEnvironment);
        Assert.False(deployment.ProductionEnvironment);
        Assert.Equal("govuk-ci", deployment.Creator.Login);
        Assert.EndsWith($"/deployments/{deployment.Id}/statuses", deployment.StatusesUrl);

        var statuses = await github.Repository.Deployment.Status.GetAll("alphagov", "frontend", deployment.Id);
        Assert.Equal([DeploymentState.Success, DeploymentState.InProgress], statuses.Select(s => s.State.Value));
        Assert.Equal($"{sandbox.BaseUrl}review-apps/frontend-pr-{pull.Number}/", statuses[0].EnvironmentUrl);
        Assert.EndsWith("/build-log", statuses[0].LogUrl);
        Assert.True(statuses[0].CreatedAt >= statuses[1].CreatedAt);
    }

    [Fact]
    public async Task DeploymentsAndStatusesAreCreatedListedByRefAndNewestFirst()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var github = sandbox.GitHub();

        var created = await github.Repository.Deployment.Create("alphagov", "whitehall", new NewDeployment("main")
        {
            Environment = "whitehall-preview",
            Description = "A preview",
            TransientEnvironment = true,
            Payload = new Dictionary<string, string> { ["app"] = "whitehall" },
        });
        Assert.Equal("main", created.Ref);
        Assert.Equal("whitehall-preview", created.Environment);
        Assert.Equal("sandbox-developer", created.Creator.Login);
        Assert.Equal("whitehall", created.Payload["app"]);

        await github.Repository.Deployment.Status.Create("alphagov", "whitehall", created.Id, new NewDeploymentStatus(DeploymentState.Queued));
        var done = await github.Repository.Deployment.Status.Create("alphagov", "whitehall", created.Id, new NewDeploymentStatus(DeploymentState.Success)
        {
            EnvironmentUrl = "https://whitehall-preview.example/",
            LogUrl = "https://ci.example/1",
            Description = "Up",
        });
        Assert.Equal(DeploymentState.Success, done.State.Value);
        Assert.Equal("https://whitehall-preview.example/", done.EnvironmentUrl);

        var statuses = await github.Repository.Deployment.Status.GetAll("alphagov", "whitehall", created.Id);
        Assert.Equal([DeploymentState.Success, DeploymentState.Queued], statuses.Select(s => s.State.Value));

        // Filtered by ref, as the review-app lookup asks; a ref with none answers an empty list.
        var byRef = await sandbox.GetJson("api/v3/repos/alphagov/whitehall/deployments?ref=main");
        Assert.Equal(created.Id, byRef[0].GetProperty("id").GetInt64());
        Assert.Equal(0, (await sandbox.GetJson("api/v3/repos/alphagov/whitehall/deployments?ref=no-such-branch")).GetArrayLength());

        await Assert.ThrowsAsync<ApiValidationException>(() => github.Repository.Deployment.Create("alphagov", "whitehall", new NewDeployment("no-such-ref")));
        await Assert.ThrowsAsync<AuthorizationException>(() =>
            sandbox.GitHub(authenticated: false).Repository.Deployment.Create("alphagov", "whitehall", new NewDeployment("main")));
    }

    [Fact]
    public async Task ADeploymentIsRefusedWhileAStatusOfItsCommitIsFailing()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var github = sandbox.GitHub();
        var failing = (await github.PullRequest.GetAllForRepository("alphagov", "frontend")).Single(p => p.Title == "Upgrade the govuk_publishing_components gem");

        var conflict = await Assert.ThrowsAsync<ApiException>(() => github.Repository.Deployment.Create("alphagov", "frontend", new NewDeployment(failing.Head.Ref)));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        var forced = await github.Repository.Deployment.Create("alphagov", "frontend", new NewDeployment(failing.Head.Ref) { RequiredContexts = [] });
        Assert.Equal(failing.Head.Sha, forced.Sha);
    }

    [Fact]
    public async Task APullRequestFromAForkHasTheForkAsItsHeadRepository()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var opened = await sandbox.PostJson("_sandbox/github/repos/alphagov/frontend/pulls", new { title = "A fix from a fork", author = "alice-govuk", fork = true });
        var number = JsonDocument.Parse(await opened.Content.ReadAsStringAsync()).RootElement.GetProperty("number").GetInt32();
        var github = sandbox.GitHub();

        var pull = await github.PullRequest.Get("alphagov", "frontend", number);

        Assert.True(pull.Head.Repository.Fork);
        Assert.Equal("alice-govuk/frontend", pull.Head.Repository.FullName);
        Assert.Equal("alice-govuk:" + pull.Head.Ref, pull.Head.Label);
        Assert.Equal("alphagov/frontend", pull.Base.Repository.FullName);
        await Assert.ThrowsAsync<NotFoundException>(() => github.Git.Reference.Get("alphagov", "frontend", "heads/" + pull.Head.Ref));
        Assert.Equal(pull.Head.Sha, (await github.Repository.Commit.Get("alphagov", "frontend", pull.Head.Sha)).Sha);
    }

    [Fact]
    public async Task TheSlackInboxKeepsWhatAWebhookWasSent()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var posted = await sandbox.PostJson("slack/services/T000/B000/XXXX", new { text = "Deploying frontend" });
        Assert.Equal("ok", await posted.Content.ReadAsStringAsync());
        using var empty = await sandbox.PostJson("slack/services/T000/B000/XXXX", new { attachments = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);

        var messages = await sandbox.GetJson("_sandbox/slack/messages");
        Assert.Equal("Deploying frontend", Assert.Single(messages.EnumerateArray()).GetProperty("text").GetString());
    }
}
