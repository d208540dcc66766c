using System.Diagnostics;
using GovukDeploy.Sandbox.Hosting;
using GovukDeploy.Sandbox.Seed;
using Xunit.Abstractions;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>GeneratedApps / --generated-apps: many apps with about ten Deploy_App builds each, for benchmarks.</summary>
public sealed class GeneratedSeedTests
{
    private readonly ITestOutputHelper _output;

    public GeneratedSeedTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task ThreeHundredGeneratedAppsComeWithAboutThreeThousandBuildsAsWellAsTheDefaultSeed()
    {
        var watch = Stopwatch.StartNew();
        await using var sandbox = await TestSandbox.StartAsync(o => o.GeneratedApps = 300);
        _output.WriteLine($"started with 300 generated apps in {watch.ElapsedMilliseconds} ms");

        var repos = sandbox.Server.GitHub.Repositories().Select(r => r.Name).ToList();
        Assert.Equal(303, repos.Count);
        Assert.Contains("app-001", repos);
        Assert.Contains("app-300", repos);
        Assert.Contains("frontend", repos);

        var total = 0;
        foreach (var environment in new[] { "integration", "staging", "production" })
        {
            watch.Restart();
            var all = await SeededHistoryTests.History(sandbox, environment,
                SeededHistoryTests.Tree.Replace("builds[", "allBuilds[").Replace("{0,100}", ""), "allBuilds");
            _output.WriteLine($"{environment}: {all.Count} builds read with every field in {watch.ElapsedMilliseconds} ms");
            var generated = all.Where(b => b.Application.StartsWith("app-", StringComparison.Ordinal)).ToList();
            total += generated.Count;
            Assert.Equal(Enumerable.Range(1, all.Count).Reverse(), all.Select(b => b.Number));
            Assert.Equal(all.Select(b => b.Started).OrderByDescending(t => t), all.Select(b => b.Started));

            var page = await SeededHistoryTests.History(sandbox, environment,
                SeededHistoryTests.Tree.Replace("builds[", "allBuilds[").Replace("{0,100}", "{100,200}"), "allBuilds");
            Assert.Equal(all.Skip(100).Take(100).Select(b => b.Number), page.Select(b => b.Number));
        }
        // app-N has 4 releases when N is even (9 builds) and 5 when odd (11 builds).
        Assert.Equal(3000, total);

        var staging = await SeededHistoryTests.History(sandbox, "staging",
            SeededHistoryTests.Tree.Replace("builds[", "allBuilds[").Replace("{0,100}", ""), "allBuilds");
        Assert.Equal("release_3", staging.Where(b => b.Application == "app-002" && b.Deployed).MaxBy(b => b.Number)!.Tag);
        Assert.Equal(await DeployedBranchTests.CommitOf(sandbox, "app-003", "release_4"), await DeployedBranchTests.BranchSha(sandbox, "app-003", "deployed-to-staging"));
    }

    [Fact]
    public void TheCommandLineFlagSetsTheCountAndNamesArePadded()
    {
        Assert.Equal(300, SandboxOptions.Parse(["--generated-apps", "300"]).GeneratedApps);
        Assert.Equal(0, SandboxOptions.Parse([]).GeneratedApps);
        Assert.Contains("--generated-apps", Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(["--generated-apps", "-1"])).Message);
        Assert.Equal("app-007", GeneratedSeed.Name(7, 300));
        Assert.Equal("app-0042", GeneratedSeed.Name(42, 1200));
    }
}
