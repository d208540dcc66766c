using System.Diagnostics;
using System.Text.Json;
using GovukDeploy.Sandbox.Jenkins;
using Xunit.Abstractions;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>A job's build lists as Jenkins exports them: "builds" capped at 100, "allBuilds" only when asked for, tree ranges.</summary>
public sealed class JenkinsBuildListTests
{
    private const string BuildFields =
        "number,result,timestamp,duration,url,building,actions[parameters[name,value],causes[shortDescription,userId,userName,upstreamProject,upstreamBuild]]";

    private readonly ITestOutputHelper _output;

    public JenkinsBuildListTests(ITestOutputHelper output) => _output = output;

    /// <summary>A job of its own on staging with <paramref name="count"/> finished builds, one a minute.</summary>
    private static JenkinsJob AddJobWithHistory(TestSandbox sandbox, int count)
    {
        var jenkins = sandbox.Server.Farm["staging"];
        var job = jenkins.AddJob("History_Check", JobKind.FreeStyle, BuildScripts.DeployParameters);
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        jenkins.AddHistory(job, Enumerable.Range(0, count).Select(i => new PastBuild(
            [new("TARGET_APPLICATION", "frontend"), new("DEPLOY_TASK", "deploy"), new("TAG", $"release_{i + 1}")],
            BuildCause.User("alice-govuk", "Alice Okafor"),
            start.AddMinutes(i),
            45_000 + i,
            i % 10 == 9 ? "FAILURE" : "SUCCESS",
            [$"Deploying frontend release_{i + 1} to staging (task: deploy)"])));
        return job;
    }

    [Fact]
    public async Task BuildsHoldsTheNewestHundredAndAllBuildsAppearsOnlyWhenNamed()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        AddJobWithHistory(sandbox, 130);

        var plain = await sandbox.GetJson("jenkins/staging/job/History_Check/api/json");
        var builds = plain.GetProperty("builds");
        Assert.Equal(100, builds.GetArrayLength());
        Assert.Equal(130, builds[0].GetProperty("number").GetInt32());
        Assert.Equal(31, builds[99].GetProperty("number").GetInt32());
        Assert.Equal(["_class", "number", "url"], builds[0].EnumerateObject().Select(p => p.Name));
        Assert.False(plain.TryGetProperty("allBuilds", out _));
        Assert.Equal(131, plain.GetProperty("nextBuildNumber").GetInt32());

        // Ranges run from the first number (inclusive) to the second (exclusive); "builds" stops at 100.
        var beyond = await sandbox.GetJson("jenkins/staging/job/History_Check/api/json?tree=builds[number]{90,200}");
        Assert.Equal(Enumerable.Range(31, 10).Reverse(), beyond.GetProperty("builds").EnumerateArray().Select(b => b.GetProperty("number").GetInt32()));

        var all = await sandbox.GetJson("jenkins/staging/job/History_Check/api/json?tree=allBuilds[number]");
        Assert.Equal(Enumerable.Range(1, 130).Reverse(), all.GetProperty("allBuilds").EnumerateArray().Select(b => b.GetProperty("number").GetInt32()));
        Assert.Equal(["_class", "allBuilds"], all.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ATreeRangeOverAThousandBuildsRendersOnlyItsRangeWithEveryFieldAskedFor()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        AddJobWithHistory(sandbox, 1050);

        var watch = Stopwatch.StartNew();
        var newest = await sandbox.GetJson($"jenkins/staging/job/History_Check/api/json?tree=builds[{BuildFields}]{{0,100}}");
        var first = watch.Elapsed;
        watch.Restart();
        var older = await sandbox.GetJson($"jenkins/staging/job/History_Check/api/json?tree=allBuilds[{BuildFields}]{{100,200}}");
        var second = watch.Elapsed;
        watch.Restart();
        var everything = await sandbox.GetJson($"jenkins/staging/job/History_Check/api/json?tree=allBuilds[{BuildFields}]");
        _output.WriteLine($"1,050 builds: builds{{0,100}} {first.TotalMilliseconds:0} ms, allBuilds{{100,200}} {second.TotalMilliseconds:0} ms, every build {watch.Elapsed.TotalMilliseconds:0} ms");

        var page = newest.GetProperty("builds");
        Assert.Equal(100, page.GetArrayLength());
        Assert.Equal(Enumerable.Range(951, 100).Reverse(), page.EnumerateArray().Select(b => b.GetProperty("number").GetInt32()));
        Assert.Equal(Enumerable.Range(851, 100).Reverse(), older.GetProperty("allBuilds").EnumerateArray().Select(b => b.GetProperty("number").GetInt32()));
        Assert.Equal(1050, everything.GetProperty("allBuilds").GetArrayLength());

        var build = page[0];
        Assert.Equal(["_class", "number", "result", "timestamp", "duration", "url", "building", "actions"], build.EnumerateObject().Select(p => p.Name));
        Assert.Equal("hudson.model.FreeStyleBuild", build.GetProperty("_class").GetString());
        Assert.Equal("FAILURE", build.GetProperty("result").GetString());
        Assert.Equal(45_000 + 1049, build.GetProperty("duration").GetInt64());
        Assert.False(build.GetProperty("building").GetBoolean());
        Assert.Equal($"{sandbox.BaseUrl}jenkins/staging/job/History_Check/1050/", build.GetProperty("url").GetString());
        var actions = build.GetProperty("actions");
        var parameters = actions[0].GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("value").GetString());
        Assert.Equal("release_1050", parameters["TAG"]);
        Assert.Equal(["_class", "name", "value"], actions[0].GetProperty("parameters")[0].EnumerateObject().Select(p => p.Name));
        var cause = actions[1].GetProperty("causes").EnumerateArray().Single();
        Assert.Equal("hudson.model.Cause$UserIdCause", cause.GetProperty("_class").GetString());
        Assert.Equal("alice-govuk", cause.GetProperty("userId").GetString());
        Assert.Equal("Alice Okafor", cause.GetProperty("userName").GetString());
        Assert.Equal("Started by user Alice Okafor", cause.GetProperty("shortDescription").GetString());
        // The tree asked for upstream fields too; a UserIdCause has none, so none appear.
        Assert.Equal(["_class", "shortDescription", "userId", "userName"], cause.EnumerateObject().Select(p => p.Name));

        // The timestamps go back in time as the numbers go down.
        var stamps = page.EnumerateArray().Select(b => b.GetProperty("timestamp").GetInt64()).ToList();
        Assert.Equal(stamps.OrderByDescending(s => s), stamps);
    }

    [Fact]
    public async Task AnObjectNamedWithoutFieldsKeepsOnlyItsClass()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        AddJobWithHistory(sandbox, 3);
        var job = await sandbox.GetJson("jenkins/staging/job/History_Check/api/json?tree=lastBuild,lastFailedBuild[number,result],builds{0,2}");
        Assert.Equal(["_class"], job.GetProperty("lastBuild").EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, job.GetProperty("lastFailedBuild").ValueKind);
        Assert.Equal(2, job.GetProperty("builds").GetArrayLength());
        Assert.Equal(["_class"], job.GetProperty("builds")[0].EnumerateObject().Select(p => p.Name));

        var last = await sandbox.GetJson("jenkins/staging/job/History_Check/api/json?tree=lastSuccessfulBuild[number,result,duration]");
        Assert.Equal(3, last.GetProperty("lastSuccessfulBuild").GetProperty("number").GetInt32());
        Assert.Equal(45_002, last.GetProperty("lastSuccessfulBuild").GetProperty("duration").GetInt64());
    }
}
