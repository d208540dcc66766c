using System.Net;
using System.Text.Json;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>Deploy_App moves deployed-to-&lt;environment&gt; in the app's repository on a successful deploy, and only then.</summary>
public sealed class DeployedBranchTests
{
    /// <summary>Deploys here are about what they change, not how they unfold: keep them short.</summary>
    internal static void Quick(Hosting.SandboxOptions o)
    {
        o.DeploySeconds = 0.1;
        o.QueueSeconds = 0.05;
    }

    [Fact]
    public async Task ASuccessfulDeployMovesTheBranchToTheTagsCommitAndEveryRouteShowsIt()
    {
        await using var sandbox = await TestSandbox.StartAsync(Quick);
        // release_10 is an annotated tag: the branch must point at its commit, not at the tag object.
        var build = await RunDeploy(sandbox, "staging", "frontend", "release_10");
        Assert.Equal("SUCCESS", build.GetProperty("result").GetString());
        var commit = await CommitOf(sandbox, "frontend", "release_10");

        var branch = await sandbox.GetJson("api/v3/repos/alphagov/frontend/branches/deployed-to-staging", Token(sandbox));
        Assert.Equal("deployed-to-staging", branch.GetProperty("name").GetString());
        Assert.Equal(commit, branch.GetProperty("commit").GetProperty("sha").GetString());

        var reference = await sandbox.GetJson("api/v3/repos/alphagov/frontend/git/ref/heads/deployed-to-staging", Token(sandbox));
        Assert.Equal("refs/heads/deployed-to-staging", reference.GetProperty("ref").GetString());
        Assert.Equal(commit, reference.GetProperty("object").GetProperty("sha").GetString());
        Assert.Equal("commit", reference.GetProperty("object").GetProperty("type").GetString());

        var matching = await sandbox.GetJson("api/v3/repos/alphagov/frontend/git/matching-refs/heads/deployed-to-", Token(sandbox));
        Assert.Contains(matching.EnumerateArray(), r =>
            r.GetProperty("ref").GetString() == "refs/heads/deployed-to-staging" && r.GetProperty("object").GetProperty("sha").GetString() == commit);
        Assert.All(matching.EnumerateArray(), r => Assert.StartsWith("refs/heads/deployed-to-", r.GetProperty("ref").GetString()));

        var console = await sandbox.Http.GetStringAsync(build.GetProperty("url").GetString() + "consoleText");
        Assert.Contains("refs/heads/deployed-to-staging", console);
    }

    [Fact]
    public async Task WhoeverStartsTheDeployTheBranchMovesAndTheDeployNameFindsTheRepository()
    {
        await using var sandbox = await TestSandbox.StartAsync(Quick);
        // Started with a crumb and no token: an anonymous user.
        using var issued = await sandbox.Http.GetAsync("jenkins/production/crumbIssuer/api/json");
        var session = issued.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var token = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("crumb").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "jenkins/production/job/Deploy_App/buildWithParameters")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["TARGET_APPLICATION"] = "contacts", ["TAG"] = "release_7" }),
        };
        request.Headers.Add("Jenkins-Crumb", token);
        request.Headers.Add("Cookie", session);
        using var response = await sandbox.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var item = await sandbox.WaitForQueueItem(response.Headers.Location!.ToString());
        var build = await sandbox.WaitForBuild(item.GetProperty("executable").GetProperty("url").GetString()!);
        Assert.Equal("SUCCESS", build.GetProperty("result").GetString());

        Assert.Equal(await CommitOf(sandbox, "contacts-admin", "release_7"), await BranchSha(sandbox, "contacts-admin", "deployed-to-production"));
    }

    [Theory]
    [InlineData("app:migrate")]
    [InlineData("app:restart")]
    public async Task ATaskOtherThanDeployLeavesTheBranchAndTheReleaseAppAlone(string task)
    {
        await using var sandbox = await TestSandbox.StartAsync(Quick);
        var before = await BranchSha(sandbox, "frontend", "deployed-to-staging");
        var recordedBefore = (await sandbox.GetJson("_sandbox/release/deployments?repo=alphagov/frontend&environment=staging")).GetArrayLength();

        var build = await RunDeploy(sandbox, "staging", "frontend", "release_12", task);

        Assert.Equal("SUCCESS", build.GetProperty("result").GetString());
        Assert.Equal(before, await BranchSha(sandbox, "frontend", "deployed-to-staging"));
        Assert.Equal(recordedBefore, (await sandbox.GetJson("_sandbox/release/deployments?repo=alphagov/frontend&environment=staging")).GetArrayLength());
        var console = await sandbox.Http.GetStringAsync(build.GetProperty("url").GetString() + "consoleText");
        Assert.Contains($"rake {task}", console);
    }

    [Theory]
    [InlineData("deploy-fail", "FAILURE")]
    [InlineData("deploy-abort", "ABORTED")]
    public async Task AFailedOrAbortedDeployLeavesTheBranchWhereItWas(string fault, string result)
    {
        await using var sandbox = await TestSandbox.StartAsync(Quick);
        var before = await BranchSha(sandbox, "frontend", "deployed-to-production");
        using (var injected = await sandbox.PostJson("_sandbox/faults", new { service = "jenkins", kind = fault, environment = "production" }))
        {
            Assert.Equal(HttpStatusCode.Created, injected.StatusCode);
        }

        var build = await RunDeploy(sandbox, "production", "frontend", "release_12");

        Assert.Equal(result, build.GetProperty("result").GetString());
        Assert.Equal(before, await BranchSha(sandbox, "frontend", "deployed-to-production"));
    }

    [Fact]
    public async Task ADeployOfATagTheAppLacksFailsAndMovesNothing()
    {
        await using var sandbox = await TestSandbox.StartAsync(Quick);
        var before = await BranchSha(sandbox, "frontend", "deployed-to-integration");
        var build = await RunDeploy(sandbox, "integration", "frontend", "release_999");
        Assert.Equal("FAILURE", build.GetProperty("result").GetString());
        Assert.Equal(before, await BranchSha(sandbox, "frontend", "deployed-to-integration"));
    }

    internal static async Task<JsonElement> RunDeploy(TestSandbox sandbox, string environment, string application, string tag, string task = "deploy")
    {
        var queueUrl = await sandbox.TriggerJenkins(environment, "job/Deploy_App", new Dictionary<string, string>
        {
            ["TARGET_APPLICATION"] = application,
            ["TAG"] = tag,
            ["DEPLOY_TASK"] = task,
        });
        var buildUrl = (await sandbox.WaitForQueueItem(queueUrl)).GetProperty("executable").GetProperty("url").GetString()!;
        return await sandbox.WaitForBuild(buildUrl);
    }

    /// <summary>The commit a branch points at, or null when the repository has no such branch.</summary>
    internal static async Task<string?> BranchSha(TestSandbox sandbox, string repo, string branch)
    {
        using var response = await sandbox.Http.SendAsync(sandbox.GitHubRequest(HttpMethod.Get, $"repos/alphagov/{repo}/branches/{branch}"));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("commit").GetProperty("sha").GetString();
    }

    /// <summary>The commit a tag points at, peeled if annotated.</summary>
    internal static async Task<string> CommitOf(TestSandbox sandbox, string repo, string tag) =>
        (await sandbox.GitHub().Repository.Commit.Get("alphagov", repo, tag)).Sha;

    private static System.Net.Http.Headers.AuthenticationHeaderValue Token(TestSandbox sandbox) =>
        new("token", sandbox.Server.Credentials.GitHubToken);
}
