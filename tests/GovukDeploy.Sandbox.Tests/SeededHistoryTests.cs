using System.Text.Json;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>
/// The seeded Deploy_App history on each environment's Jenkins, read the way the module will
/// read it (the tree query), and the deployed-to-&lt;environment&gt; branches that go with it.
/// </summary>
public sealed class SeededHistoryTests
{
    internal const string Tree =
        "builds[number,result,timestamp,duration,url,building,actions[parameters[name,value],causes[shortDescription,userId,userName,upstreamProject,upstreamBuild]]]{0,100}";

    /// <summary>One build as the tree query gives it.</summary>
    internal sealed record Build(int Number, string? Result, DateTimeOffset Started, TimeSpan Duration, string Application, string Task, string Tag, JsonElement Cause)
    {
        public bool Deployed => Task == "deploy" && Result == "SUCCESS";
    }

    internal static async Task<List<Build>> History(TestSandbox sandbox, string environment, string tree = Tree, string list = "builds")
    {
        var job = await sandbox.GetJson($"jenkins/{environment}/job/Deploy_App/api/json?tree={tree}");
        return job.GetProperty(list).EnumerateArray().Select(b =>
        {
            var actions = b.GetProperty("actions").EnumerateArray().ToList();
            var parameters = actions.Single(a => a.GetProperty("_class").GetString() == "hudson.model.ParametersAction")
                .GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("value").GetString()!);
            var cause = actions.Single(a => a.GetProperty("_class").GetString() == "hudson.model.CauseAction").GetProperty("causes").EnumerateArray().Single();
            return new Build(b.GetProperty("number").GetInt32(), b.GetProperty("result").GetString(),
                DateTimeOffset.FromUnixTimeMilliseconds(b.GetProperty("timestamp").GetInt64()), TimeSpan.FromMilliseconds(b.GetProperty("duration").GetInt64()),
                parameters["TARGET_APPLICATION"], parameters["DEPLOY_TASK"], parameters["TAG"], cause);
        }).ToList();
    }

    /// <summary>What a careful reader concludes runs: the newest successful build of the deploy task.</summary>
    private static string? Running(IEnumerable<Build> history, string application) =>
        history.Where(b => b.Application == application && b.Deployed).MaxBy(b => b.Number)?.Tag;

    [Fact]
    public async Task EachEnvironmentRunsWhatItDidBeforeAndEverySeededDeployHasTheRightCause()
    {
        await using var sandbox = await TestSandbox.StartAsync(DeployedBranchTests.Quick);
        var apps = new[] { ("contacts", "contacts-admin", 8), ("whitehall", "whitehall", 120), ("frontend", "frontend", 12) };
        var environments = new[] { ("integration", 0), ("staging", 1), ("production", 2) };

        foreach (var (environment, behind) in environments)
        {
            var history = await History(sandbox, environment);
            foreach (var (deployName, repo, releases) in apps)
            {
                Assert.Equal($"release_{releases - behind}", Running(history, deployName));
                // History spans a few releases on every environment.
                Assert.True(history.Where(b => b.Application == deployName && b.Deployed).Select(b => b.Tag).Distinct().Count() >= 3,
                    $"{deployName} on {environment} has too short a history");

                foreach (var build in history.Where(b => b.Application == deployName))
                {
                    var cause = build.Cause;
                    if (environment == "integration")
                    {
                        // CI's default-branch build N made release_N and started its deploy.
                        Assert.Equal("hudson.model.Cause$UpstreamCause", cause.GetProperty("_class").GetString());
                        Assert.Equal($"{repo}/main", cause.GetProperty("upstreamProject").GetString());
                        Assert.Equal(build.Tag, $"release_{cause.GetProperty("upstreamBuild").GetInt32()}");
                        Assert.Equal($"Started by upstream project \"{repo}/main\" build number {cause.GetProperty("upstreamBuild").GetInt32()}",
                            cause.GetProperty("shortDescription").GetString());
                        Assert.Equal(["_class", "shortDescription", "upstreamProject", "upstreamBuild"], cause.EnumerateObject().Select(p => p.Name));
                    }
                    else
                    {
                        Assert.Equal("hudson.model.Cause$UserIdCause", cause.GetProperty("_class").GetString());
                        Assert.Equal(["_class", "shortDescription", "userId", "userName"], cause.EnumerateObject().Select(p => p.Name));
                        Assert.Equal($"Started by user {cause.GetProperty("userName").GetString()}", cause.GetProperty("shortDescription").GetString());
                    }
                    Assert.InRange(build.Duration, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));
                    Assert.True(build.Started + build.Duration < DateTimeOffset.UtcNow, $"#{build.Number} is in the future");
                }
            }
        }

        // The Release app's records still say the same.
        foreach (var (_, repo, releases) in apps)
        {
            var recorded = await sandbox.GetJson($"_sandbox/release/deployments?repo=alphagov/{repo}");
            foreach (var (environment, behind) in environments)
            {
                Assert.Equal($"release_{releases - behind}",
                    recorded.EnumerateArray().Last(d => d.GetProperty("environment").GetString() == environment).GetProperty("version").GetString());
            }
        }
    }

    [Fact]
    public async Task BuildNumbersFollowTimeAcrossAllAppsAndRealBuildsComeAfter()
    {
        await using var sandbox = await TestSandbox.StartAsync(DeployedBranchTests.Quick);
        foreach (var environment in new[] { "integration", "staging", "production" })
        {
            var history = await History(sandbox, environment);
            Assert.Equal(Enumerable.Range(1, history.Count).Reverse(), history.Select(b => b.Number));
            Assert.Equal(history.Select(b => b.Started).OrderByDescending(t => t), history.Select(b => b.Started));
            Assert.Equal(3, history.Select(b => b.Application).Distinct().Count());
            var job = await sandbox.GetJson($"jenkins/{environment}/job/Deploy_App/api/json");
            Assert.Equal(history.Count + 1, job.GetProperty("nextBuildNumber").GetInt32());
        }

        var build = await DeployedBranchTests.RunDeploy(sandbox, "integration", "frontend", "release_11");
        var latest = (await History(sandbox, "integration"))[0];
        Assert.Equal(build.GetProperty("number").GetInt32(), latest.Number);
        Assert.Equal("release_11", latest.Tag);
        Assert.Equal("sandbox-developer", latest.Cause.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task TheNewestBuildIsNotAlwaysWhatRuns()
    {
        await using var sandbox = await TestSandbox.StartAsync(DeployedBranchTests.Quick);
        var staging = await History(sandbox, "staging");

        // frontend: a failed deploy of release_12 by bob-govuk after release_11 went out.
        var frontend = staging.Where(b => b.Application == "frontend").ToList();
        var failed = frontend[0];
        Assert.Equal(("FAILURE", "deploy", "release_12"), (failed.Result, failed.Task, failed.Tag));
        Assert.Equal("bob-govuk", failed.Cause.GetProperty("userId").GetString());
        Assert.Equal("release_11", frontend.First(b => b.Deployed).Tag);

        // whitehall: app:migrate with release_120 by carol-govuk after release_119 was deployed.
        var whitehall = staging.Where(b => b.Application == "whitehall").ToList();
        var migrate = whitehall[0];
        Assert.Equal(("SUCCESS", "app:migrate", "release_120"), (migrate.Result, migrate.Task, migrate.Tag));
        Assert.Equal("carol-govuk", migrate.Cause.GetProperty("userId").GetString());
        Assert.Equal("release_119", whitehall.First(b => b.Deployed).Tag);
        Assert.True(migrate.Number > whitehall.First(b => b.Deployed).Number);

        // contacts: production's release was deployed by alice-govuk, not the token's user.
        var production = await History(sandbox, "production");
        var contacts = production.First(b => b.Application == "contacts" && b.Deployed);
        Assert.Equal("release_6", contacts.Tag);
        Assert.Equal("alice-govuk", contacts.Cause.GetProperty("userId").GetString());
        Assert.Equal("Alice Okafor", contacts.Cause.GetProperty("userName").GetString());
        // Everyone else's current staging and production deploys were the token's user's.
        Assert.Equal("sandbox-developer", production.First(b => b.Application == "whitehall" && b.Deployed).Cause.GetProperty("userId").GetString());
        Assert.Equal("sandbox-developer", production.First(b => b.Application == "frontend" && b.Deployed).Cause.GetProperty("userId").GetString());

        var console = await sandbox.Http.GetStringAsync($"jenkins/staging/job/Deploy_App/{failed.Number}/consoleText");
        Assert.StartsWith("Started by user Bob Lindqvist\n", console);
        Assert.Contains("Deploying frontend release_12 to staging (task: deploy)", console);
        Assert.EndsWith("Finished: FAILURE\n", console);
    }

    [Fact]
    public async Task EachDeployedToBranchPointsAtTheCommitOfTheReleaseItsEnvironmentRuns()
    {
        await using var sandbox = await TestSandbox.StartAsync(DeployedBranchTests.Quick);
        foreach (var (repo, releases) in new[] { ("contacts-admin", 8), ("whitehall", 120), ("frontend", 12) })
        {
            Assert.Equal(await DeployedBranchTests.CommitOf(sandbox, repo, $"release_{releases}"), await DeployedBranchTests.BranchSha(sandbox, repo, "deployed-to-integration"));
            Assert.Equal(await DeployedBranchTests.CommitOf(sandbox, repo, $"release_{releases - 1}"), await DeployedBranchTests.BranchSha(sandbox, repo, "deployed-to-staging"));
            Assert.Equal(await DeployedBranchTests.CommitOf(sandbox, repo, $"release_{releases - 2}"), await DeployedBranchTests.BranchSha(sandbox, repo, "deployed-to-production"));
        }
    }

    [Fact]
    public async Task ARealDeployMovesTheSeededBranchAndBecomesWhatRuns()
    {
        await using var sandbox = await TestSandbox.StartAsync(DeployedBranchTests.Quick);
        var build = await DeployedBranchTests.RunDeploy(sandbox, "staging", "frontend", "release_12");
        Assert.Equal("SUCCESS", build.GetProperty("result").GetString());
        Assert.Equal(await DeployedBranchTests.CommitOf(sandbox, "frontend", "release_12"), await DeployedBranchTests.BranchSha(sandbox, "frontend", "deployed-to-staging"));
        Assert.Equal("release_12", Running(await History(sandbox, "staging"), "frontend"));
    }

    [Fact]
    public async Task AnAppSeededAfterStartGetsItsHistoryAtOnceStillNumberedInTimeOrder()
    {
        await using var sandbox = await TestSandbox.StartAsync(DeployedBranchTests.Quick);
        sandbox.Server.Seed.App("collections", null, 5);

        var production = await History(sandbox, "production");
        Assert.Equal(Enumerable.Range(1, production.Count).Reverse(), production.Select(b => b.Number));
        Assert.Equal(production.Select(b => b.Started).OrderByDescending(t => t), production.Select(b => b.Started));
        Assert.Equal("release_3", Running(production, "collections"));
        Assert.Equal("release_5", Running(await History(sandbox, "integration"), "collections"));
        Assert.Equal(await DeployedBranchTests.CommitOf(sandbox, "collections", "release_4"), await DeployedBranchTests.BranchSha(sandbox, "collections", "deployed-to-staging"));
    }

    [Fact]
    public async Task OnceARealBuildHasRunHistorySeededLaterTakesTheNextNumbers()
    {
        await using var sandbox = await TestSandbox.StartAsync(DeployedBranchTests.Quick);
        var real = (await DeployedBranchTests.RunDeploy(sandbox, "production", "frontend", "release_10")).GetProperty("number").GetInt32();

        sandbox.Server.Seed.App("collections", null, 5);

        var production = await History(sandbox, "production");
        // The real build keeps its number (its URL is out there); the new app's three come after it.
        Assert.Equal("release_10", production.Single(b => b.Number == real).Tag);
        Assert.Equal([real + 3, real + 2, real + 1], production.Where(b => b.Application == "collections").Select(b => b.Number));
        Assert.Equal("release_3", Running(production, "collections"));
    }
}
