using System.Net;
using Octokit;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>Merge → CI → release_N → Deploy_App on Integration → Smokey, and CI on pull requests.</summary>
public sealed class PipelineTests
{
    [Fact]
    public async Task MergingAPullRequestReleasesAndDeploysItToIntegrationThenRunsSmokey()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.GitHub();
        var pr = await client.PullRequest.Get("alphagov", "contacts-admin", 9);
        var merge = await client.PullRequest.Merge("alphagov", "contacts-admin", 9, new MergePullRequest { Sha = pr.Head.Sha });

        var ci = await sandbox.WaitForEvent("alphagov/contacts-admin", "ci-finished");
        Assert.Equal("contacts-admin/main #9: SUCCESS", ci.GetProperty("detail").GetString());

        await sandbox.WaitForEvent("alphagov/contacts-admin", "tagged");
        var tag = await client.Git.Reference.Get("alphagov", "contacts-admin", "tags/release_9");
        Assert.Equal(merge.Sha, tag.Object.Sha);

        var deploy = await sandbox.WaitForEvent("alphagov/contacts-admin", "deploy-finished");
        Assert.Equal("integration", deploy.GetProperty("environment").GetString());
        Assert.EndsWith("release_9: SUCCESS", deploy.GetProperty("detail").GetString());
        var deployBuild = await sandbox.GetJson(deploy.GetProperty("url").GetString()! + "api/json");
        var parameters = deployBuild.GetProperty("actions")[0].GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("value").GetString());
        Assert.Equal("contacts", parameters["TARGET_APPLICATION"]);
        Assert.Equal("release_9", parameters["TAG"]);
        Assert.Equal("deploy", parameters["DEPLOY_TASK"]);
        Assert.Equal("hudson.model.Cause$UpstreamCause", deployBuild.GetProperty("actions")[1].GetProperty("causes")[0].GetProperty("_class").GetString());

        var smokey = await sandbox.WaitForEvent("alphagov/contacts-admin", "smokey-finished");
        Assert.EndsWith("SUCCESS", smokey.GetProperty("detail").GetString());
        Assert.Equal("integration", smokey.GetProperty("environment").GetString());

        var status = await client.Repository.Status.GetCombined("alphagov", "contacts-admin", merge.Sha);
        Assert.Equal(CommitState.Success, status.State.Value);
        var recorded = await sandbox.GetJson("_sandbox/release/deployments?repo=alphagov/contacts-admin&environment=integration");
        Assert.Equal("release_9", recorded.EnumerateArray().Last().GetProperty("version").GetString());
    }

    [Fact]
    public async Task CiStartsTheIntegrationDeployAndThatDeployStartsSmokeyAsTheirUpstreamCauses()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var merge = await sandbox.GitHub().PullRequest.Merge("alphagov", "contacts-admin", 9, new MergePullRequest());

        var deploy = await sandbox.WaitForEvent("alphagov/contacts-admin", "deploy-finished");
        var deployBuild = await sandbox.GetJson(deploy.GetProperty("url").GetString()! + "api/json");
        var deployCause = Cause(deployBuild);
        Assert.Equal(["_class", "shortDescription", "upstreamBuild", "upstreamProject", "upstreamUrl"], deployCause.EnumerateObject().Select(p => p.Name));
        Assert.Equal("hudson.model.Cause$UpstreamCause", deployCause.GetProperty("_class").GetString());
        Assert.Equal("contacts-admin/main", deployCause.GetProperty("upstreamProject").GetString());
        Assert.Equal(9, deployCause.GetProperty("upstreamBuild").GetInt32());
        Assert.Equal("job/contacts-admin/job/main/", deployCause.GetProperty("upstreamUrl").GetString());
        Assert.Equal("Started by upstream project \"contacts-admin/main\" build number 9", deployCause.GetProperty("shortDescription").GetString());

        var smokey = await sandbox.WaitForEvent("alphagov/contacts-admin", "smokey-finished");
        var smokeyCause = Cause(await sandbox.GetJson(smokey.GetProperty("url").GetString()! + "api/json"));
        Assert.Equal("hudson.model.Cause$UpstreamCause", smokeyCause.GetProperty("_class").GetString());
        Assert.Equal("Deploy_App", smokeyCause.GetProperty("upstreamProject").GetString());
        Assert.Equal(deployBuild.GetProperty("number").GetInt32(), smokeyCause.GetProperty("upstreamBuild").GetInt32());
        Assert.Equal("job/Deploy_App/", smokeyCause.GetProperty("upstreamUrl").GetString());

        // CI's deploy moved deployed-to-integration like any other.
        Assert.Equal(merge.Sha, await DeployedBranchTests.BranchSha(sandbox, "contacts-admin", "deployed-to-integration"));

        static System.Text.Json.JsonElement Cause(System.Text.Json.JsonElement build) =>
            build.GetProperty("actions").EnumerateArray()
                .Single(a => a.GetProperty("_class").GetString() == "hudson.model.CauseAction")
                .GetProperty("causes").EnumerateArray().Single();
    }

    [Fact]
    public async Task AFailingDefaultBranchBuildMakesNoRelease()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using (var next = await sandbox.PostJson("_sandbox/ci/alphagov/frontend/next-outcome", new { outcome = "failure" }))
        {
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        }
        var client = sandbox.GitHub();
        var merge = await client.PullRequest.Merge("alphagov", "frontend", 13, new MergePullRequest());

        var ci = await sandbox.WaitForEvent("alphagov/frontend", "ci-finished");
        Assert.EndsWith("FAILURE", ci.GetProperty("detail").GetString());
        await Task.Delay(300);
        var events = await sandbox.GetJson("_sandbox/events?repo=alphagov/frontend");
        Assert.DoesNotContain(events.EnumerateArray(), e => e.GetProperty("kind").GetString() is "tagged" or "deploy-queued");
        await Assert.ThrowsAsync<NotFoundException>(() => client.Git.Reference.Get("alphagov", "frontend", "tags/release_13"));
        Assert.Equal(CommitState.Failure, (await client.Repository.Status.GetCombined("alphagov", "frontend", merge.Sha)).State.Value);
    }

    [Fact]
    public async Task PushingToAPullRequestRerunsCiWhichCanFailThenPass()
    {
        // CI slow enough that the pending state is seen even on a busy machine.
        await using var sandbox = await TestSandbox.StartAsync(o => o.CiSeconds = 1.5);
        var client = sandbox.GitHub();
        const int number = 14; // CI failing, approved

        using (var push = await sandbox.PostJson($"_sandbox/github/repos/alphagov/frontend/pulls/{number}/push", new { ci = "failure", message = "Try again" }))
        {
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }
        var head = (await client.PullRequest.Get("alphagov", "frontend", number)).Head.Sha;
        Assert.Equal(CommitState.Pending, (await client.Repository.Status.GetCombined("alphagov", "frontend", head)).State.Value);
        await WaitForState(client, head, CommitState.Failure);
        Assert.Equal("blocked", (await client.PullRequest.Get("alphagov", "frontend", number)).MergeableState!.Value.StringValue);

        using (var push = await sandbox.PostJson($"_sandbox/github/repos/alphagov/frontend/pulls/{number}/push", new { ci = "success", message = "Fix the tests" }))
        {
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }
        var newHead = (await client.PullRequest.Get("alphagov", "frontend", number)).Head.Sha;
        Assert.NotEqual(head, newHead);
        await WaitForState(client, newHead, CommitState.Success);
        var runs = await client.Check.Run.GetAllForReference("alphagov", "frontend", newHead);
        Assert.Equal(CheckConclusion.Success, runs.CheckRuns.Single().Conclusion!.Value.Value);
        Assert.Equal("clean", (await client.PullRequest.Get("alphagov", "frontend", number)).MergeableState!.Value.StringValue);

        // The head moved, so a merge guarded by the old SHA is refused.
        await Assert.ThrowsAsync<PullRequestMismatchException>(() =>
            client.PullRequest.Merge("alphagov", "frontend", number, new MergePullRequest { Sha = head }));
        var commits = await client.PullRequest.Commits("alphagov", "frontend", number);
        Assert.Equal(3, commits.Count);
    }

    [Fact]
    public async Task APullRequestOpenedThroughTheControlEndpointRunsCiAndTakesReviewsFromOthers()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = sandbox.GitHub();
        using var opened = await sandbox.PostJson("_sandbox/github/repos/alphagov/frontend/pulls",
            new { title = "Add a banner for the election", ci = "success" });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var created = System.Text.Json.JsonDocument.Parse(await opened.Content.ReadAsStringAsync()).RootElement;
        var number = created.GetProperty("number").GetInt32();
        var head = created.GetProperty("head_sha").GetString()!;

        var pr = await client.PullRequest.Get("alphagov", "frontend", number);
        Assert.Equal("Add a banner for the election", pr.Title);
        Assert.Equal("sandbox-developer", pr.User.Login);
        await WaitForState(client, head, CommitState.Success);
        Assert.Equal("blocked", (await client.PullRequest.Get("alphagov", "frontend", number)).MergeableState!.Value.StringValue);

        using (var review = await sandbox.PostJson($"_sandbox/github/repos/alphagov/frontend/pulls/{number}/reviews",
            new { user = "carol-govuk", state = "APPROVED", body = "Ship it" }))
        {
            Assert.Equal(HttpStatusCode.Created, review.StatusCode);
        }
        Assert.Equal("clean", (await client.PullRequest.Get("alphagov", "frontend", number)).MergeableState!.Value.StringValue);
        var merged = await client.PullRequest.Merge("alphagov", "frontend", number, new MergePullRequest { Sha = head, MergeMethod = PullRequestMergeMethod.Squash });
        Assert.True(merged.Merged);
        Assert.Single((await client.Repository.Commit.Get("alphagov", "frontend", merged.Sha)).Parents);
        await sandbox.WaitForEvent("alphagov/frontend", "smokey-finished");

        using var bad = await sandbox.PostJson($"_sandbox/github/repos/alphagov/frontend/pulls/{number}/reviews", new { user = "nobody", state = "APPROVED" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static async Task WaitForState(GitHubClient client, string sha, CommitState wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var state = (await client.Repository.Status.GetCombined("alphagov", "frontend", sha)).State.Value;
            if (state == wanted)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"status stayed {state}, wanted {wanted}");
            await Task.Delay(50);
        }
    }
}
