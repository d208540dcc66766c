using GovukDeploy.Errors;
using GovukDeploy.GitHub;

namespace GovukDeploy.Tests;

/// <summary>Get-Release's engine against the sandbox: numeric order, patterns, -Latest, -First, -Tag, many apps at once.</summary>
public sealed class GitHubReleaseTests
{
    [Fact]
    public async Task ReleasesAreOrderedByNumberSoRelease120ComesBeforeRelease99()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();

        var all = await github.Releases.GetAsync(GitHubSandbox.App("whitehall"));

        Assert.Equal(120, all.Count);
        Assert.Equal(Enumerable.Range(1, 120).Reverse().Select(n => (long)n), all.Select(r => r.Number));
        Assert.Equal("release_120", all[0].Tag);
        Assert.True(all.ToList().FindIndex(r => r.Tag == "release_100") < all.ToList().FindIndex(r => r.Tag == "release_99"));
        Assert.Equal("release_1", all[^1].Tag);
    }

    [Fact]
    public async Task AReleaseCarriesItsCommitDateAuthorAndFirstLineAndAnnotatedTagsPeelToTheCommit()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var app = GitHubSandbox.App("whitehall");

        // release_10 is an annotated tag: the release must name the commit, not the tag object.
        var release = Assert.Single(await github.Releases.GetAsync(app, tag: "release_10"));
        string expectedSha;
        lock (sandbox.Server.GitHub.Sync)
        {
            var repo = sandbox.Server.GitHub.FindRepository("alphagov", "whitehall")!;
            var tag = repo.Tags["release_10"];
            Assert.True(tag.IsAnnotated);
            expectedSha = Sandbox.GitHub.GitHubStore.PeelTag(repo, tag);
            Assert.Equal(repo.Commits[expectedSha].Date, release.Date);
        }
        Assert.Equal(expectedSha, release.Sha);
        Assert.Equal(10, release.Number);
        Assert.Equal("whitehall", release.Application);
        Assert.Equal("Merge pull request #10 from alphagov/change-10", release.Message);
        Assert.Equal("bob-govuk", release.Author); // the seed's authors take turns: release 10 is Bob's
    }

    [Fact]
    public async Task LatestListsTheTagsOnceAndFetchesOnlyTheNewestCommit()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();

        var latest = await github.Releases.GetLatestAsync(GitHubSandbox.App("whitehall"));

        Assert.NotNull(latest);
        Assert.Equal("release_120", latest.Tag);
        Assert.Equal(120, latest.Number);
        // One listing of the release refs and one commit: not 120 commits.
        Assert.Equal(2, github.Statistics.Requests);
    }

    [Fact]
    public async Task FirstReturnsTheNewestN()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();

        var first = await github.Releases.GetAsync(GitHubSandbox.App("whitehall"), first: 3);

        Assert.Equal(["release_120", "release_119", "release_118"], first.Select(r => r.Tag));
        Assert.Equal(4, github.Statistics.Requests);
        await Assert.ThrowsAsync<GovukDeployException>(() => github.Releases.GetAsync(GitHubSandbox.App("whitehall"), first: 0));
    }

    [Fact]
    public async Task AVPatternOrdersVersionsBySemverPrecedenceAndIgnoresOtherTags()
    {
        // The seed tags frontend v1.2.0, v1.9.0, v1.10.0-rc1, v1.10.0 and v1.12.0 as well as release_N.
        await using var sandbox = await GitHubSandbox.StartAsync();
        var head = sandbox.BranchHead("frontend");
        foreach (var tag in new[] { "v1.2", "v01.2.3", "version-3", "v1.13.0.1" })
        {
            await sandbox.CreateTagAsync("frontend", tag, head);
        }
        var github = sandbox.Connect();

        var releases = await github.Releases.GetAsync(GitHubSandbox.App("frontend", "v*"));

        Assert.Equal(["v1.12.0", "v1.10.0", "v1.10.0-rc1", "v1.9.0", "v1.2.0"], releases.Select(r => r.Tag));
        Assert.All(releases, r => Assert.Equal(0L, r.Number));
        var latest = await github.Releases.GetLatestAsync(GitHubSandbox.App("frontend", "v*"));
        Assert.Equal("v1.12.0", latest!.Tag);
        var candidate = Assert.Single(await github.Releases.GetAsync(GitHubSandbox.App("frontend", "v*"), tag: "v1.10.0-rc1"));
        Assert.Equal(Assert.Single(await github.Releases.GetAsync(GitHubSandbox.App("frontend"), tag: "release_10")).Sha, candidate.Sha);

        // The default pattern on the same repository still sees only release_N, by number.
        var defaults = await github.Releases.GetAsync(GitHubSandbox.App("frontend"));
        Assert.Equal(Enumerable.Range(1, 12).Reverse().Select(n => $"release_{n}"), defaults.Select(r => r.Tag));
    }

    [Theory]
    [InlineData("v*", "v1.12.0,v1.9.0,v1.10.0,v1.10.0-rc1,v1.10.0-rc.2,v1.10.0-beta,v2.0.0", "v2.0.0,v1.12.0,v1.10.0,v1.10.0-rc1,v1.10.0-rc.2,v1.10.0-beta,v1.9.0")]
    [InlineData("v*", "v1.0.0-alpha,v1.0.0-alpha.1,v1.0.0-alpha.beta,v1.0.0-beta,v1.0.0-beta.2,v1.0.0-beta.11,v1.0.0-rc.1,v1.0.0", "v1.0.0,v1.0.0-rc.1,v1.0.0-beta.11,v1.0.0-beta.2,v1.0.0-beta,v1.0.0-alpha.beta,v1.0.0-alpha.1,v1.0.0-alpha")]
    [InlineData("release_*", "release_9,release_100,release_99,release_10", "release_100,release_99,release_10,release_9")]
    [InlineData("v*", "v2,v1.5.0,v10", "v10,v2,v1.5.0")]
    [InlineData("v*", "v1.0.0+b,v1.0.0+a", "v1.0.0+b,v1.0.0+a")]
    public void ReleaseTagsOrderNewestFirst(string pattern, string tags, string newestFirst) =>
        Assert.Equal(newestFirst.Split(','), tags.Split(',').Order(ReleaseTagPattern.Parse(pattern).NewestFirst));

    [Theory]
    [InlineData("v*", "v1.12.0", true)]
    [InlineData("v*", "v1.10.0-rc1", true)]
    [InlineData("v*", "v1.2.3+build.5", true)]
    [InlineData("v*", "v1.2", false)]
    [InlineData("v*", "v01.2.3", false)]
    [InlineData("v*", "v1.2.3.4", false)]
    [InlineData("v*", "v1.2.3-", false)]
    [InlineData("v*", "version-3", false)]
    [InlineData("release_*", "release_12", true)]
    [InlineData("release_*", "release_1a", false)]
    public void TagPatternsSayWhichTagsAreReleases(string pattern, string tag, bool isRelease) =>
        Assert.Equal(isRelease, ReleaseTagPattern.Parse(pattern).IsRelease(tag));

    [Fact]
    public async Task AMissingTagIsReleaseNotFoundNamingTheAppAndTheTag()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();

        var missing = await Assert.ThrowsAsync<GovukDeployException>(() => github.Releases.GetAsync(GitHubSandbox.App("frontend"), tag: "release_999"));
        Assert.Equal("ReleaseNotFound", missing.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, missing.Kind);
        Assert.Contains("frontend", missing.Message);
        Assert.Contains("release_999", missing.Message);
        Assert.Equal("release_999", missing.Target);

        var wrongPattern = await Assert.ThrowsAsync<GovukDeployException>(() => github.Releases.GetAsync(GitHubSandbox.App("frontend"), tag: "v3"));
        Assert.Equal("ReleaseNotFound", wrongPattern.ErrorId);
        Assert.Contains("release_*", wrongPattern.Message);
    }

    [Fact]
    public async Task DeployedToComesFromTheCallersLookup()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var running = new Dictionary<string, string> { ["integration"] = "release_12", ["staging"] = "release_11", ["production"] = "release_11" };

        var releases = await github.Releases.GetAsync(GitHubSandbox.App("frontend"), first: 3,
            deployedTo: (app, tag) => running.Where(e => e.Value == tag).Select(e => e.Key).ToArray());

        Assert.Equal(["integration"], releases[0].DeployedTo);
        Assert.Equal(["staging", "production"], releases[1].DeployedTo);
        Assert.Empty(releases[2].DeployedTo);
    }

    [Fact]
    public async Task ManyAppsStreamBackEachResultAndOneMissingRepositoryDoesNotStopTheOthers()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        var apps = new[] { "contacts-admin", "whitehall", "no-such-app", "frontend" }.Select(n => GitHubSandbox.App(n)).ToList();

        var results = new List<GitHubBatchResult<Release?>>();
        await foreach (var result in github.Releases.GetLatestManyAsync(apps))
        {
            results.Add(result);
        }

        Assert.Equal(4, results.Count);
        Assert.Equal("release_8", results.Single(r => r.Application.Name == "contacts-admin").Value!.Tag);
        Assert.Equal("release_120", results.Single(r => r.Application.Name == "whitehall").Value!.Tag);
        Assert.Equal("release_12", results.Single(r => r.Application.Name == "frontend").Value!.Tag);
        var failed = results.Single(r => r.Application.Name == "no-such-app");
        Assert.False(failed.Succeeded);
        Assert.Equal("RepositoryNotFound", failed.Error!.ErrorId);
    }

    [Fact]
    public async Task ManyAppsRunABoundedNumberOfRequestsAtOnceAndHandBackResultsAsTheyFinish()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var apps = new List<Application>();
        for (var i = 0; i < 12; i++)
        {
            sandbox.Server.Seed.App($"small-app-{i}", null, 2);
            apps.Add(GitHubSandbox.App($"small-app-{i}"));
        }
        var github = sandbox.Connect(adjust: o => new GitHubConnectionOptions
        {
            ApiUrl = o.ApiUrl, Token = o.Token, CacheDirectory = o.CacheDirectory, ThrottleLimit = 3,
        });
        await sandbox.InjectAsync(new { service = "github", kind = "latency", ms = 150 });

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var arrivals = new List<TimeSpan>();
        var reporter = new RecordingReporter();
        await foreach (var result in github.Releases.GetLatestManyAsync(apps, reporter: reporter))
        {
            Assert.True(result.Succeeded, result.Error?.Message);
            Assert.Equal("release_2", result.Value!.Tag);
            arrivals.Add(watch.Elapsed);
        }

        Assert.Equal(12, arrivals.Count);
        Assert.Equal(3, github.Statistics.PeakInFlight);
        Assert.Contains(reporter.ProgressUpdates, p => p.Status == "12 of 12 applications");
        Assert.True(reporter.ProgressUpdates.Last().Completed);
        // 24 requests, 3 at a time, 150 ms each: about 1.2 s in all; the first result comes long before the last.
        Assert.True(arrivals[0] < arrivals[^1] / 2, $"first result after {arrivals[0]}, last after {arrivals[^1]}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(24 * 0.15), $"took {watch.Elapsed}: not concurrent");
    }

    [Fact]
    public async Task ReleaseTagsAloneCountHowFarBehindAnEnvironmentIs()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();

        var tags = await github.Releases.ListReleaseTagsAsync(GitHubSandbox.App("whitehall"));

        Assert.Equal(1, github.Statistics.Requests);
        Assert.Equal(120, tags.Count);
        Assert.Equal(new ReleaseTag("release_120", 120), tags[0]);
        Assert.Equal(2, GitHubReleases.ReleasesBehind(tags, "release_118"));
        Assert.Equal(0, GitHubReleases.ReleasesBehind(tags, "release_120"));
        Assert.Null(GitHubReleases.ReleasesBehind(tags, "some-branch"));
    }

    [Fact]
    public async Task TheServerAddressAndTheApiAddressBothWork()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var byServer = sandbox.Connect(apiUrl: sandbox.Server.BaseUrl);
        var byApi = sandbox.Connect(apiUrl: sandbox.ApiUrl.TrimEnd('/'));

        Assert.Equal(new Uri(sandbox.ApiUrl), byServer.ApiBase);
        Assert.Equal(new Uri(sandbox.ApiUrl), byApi.ApiBase);
        Assert.Equal("release_8", (await byServer.Releases.GetLatestAsync(GitHubSandbox.App("contacts-admin")))!.Tag);
        Assert.Equal("release_8", (await byApi.Releases.GetLatestAsync(GitHubSandbox.App("contacts-admin")))!.Tag);
    }

    [Theory]
    [InlineData("https://api.github.com", "https://api.github.com/")]
    [InlineData("https://github.com/", "https://api.github.com/")]
    [InlineData("https://github.example.gov.uk", "https://github.example.gov.uk/api/v3/")]
    [InlineData("https://github.example.gov.uk/api/v3", "https://github.example.gov.uk/api/v3/")]
    [InlineData("http://127.0.0.1:5123/api/v3/", "http://127.0.0.1:5123/api/v3/")]
    [InlineData("https://tools.example/github/", "https://tools.example/github/api/v3/")]
    [InlineData("https://api.example.ghe.com/", "https://api.example.ghe.com/")]
    public void ApiAddressesAreNormalised(string given, string expected) =>
        Assert.Equal(new Uri(expected), GitHubApiAddress.Normalise(given));

    [Fact]
    public void ANonHttpAddressIsRefused()
    {
        var error = Assert.Throws<GovukDeployException>(() => GitHubApiAddress.Normalise("ftp://example"));
        Assert.Equal("InvalidGitHubApiUrl", error.ErrorId);
    }

    [Theory]
    [InlineData("release_*", "release_100", 100L)]
    [InlineData("release_*", "release_07", 7L)]
    [InlineData("release_*", "release_1a", null)]
    [InlineData("release_*", "release_", null)]
    [InlineData("v*", "v12", 12L)]
    [InlineData("v*", "v1.2.3", null)]
    [InlineData("v", "v4", 4L)]
    [InlineData("app-*-prod", "app-31-prod", 31L)]
    [InlineData("app-*-prod", "app-31", null)]
    public void TagPatternsReadTheNumber(string pattern, string tag, long? number) =>
        Assert.Equal(number, ReleaseTagPattern.Parse(pattern).NumberOf(tag));
}
