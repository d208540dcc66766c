using System.Diagnostics;
using GovukDeploy.Errors;
using GovukDeploy.GitHub;

namespace GovukDeploy.Tests;

/// <summary>The connection under the sandbox's faults: rate limits, Retry-After, 5xx, dropped connections, 404, bad tokens; the ETag cache; anonymous use.</summary>
public sealed class GitHubFaultTests
{
    private static readonly Application Whitehall = GitHubSandbox.App("whitehall");

    [Fact]
    public async Task APrimaryRateLimitThatResetsSoonIsWaitedOutWithProgress()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var reporter = new RecordingReporter();
        var github = sandbox.Connect(reporter: reporter);
        await sandbox.InjectAsync(new { service = "github", kind = "primary-rate-limit", resetSeconds = 2 });
        var watch = Stopwatch.StartNew();

        var latest = await github.Releases.GetLatestAsync(Whitehall, reporter: reporter);

        Assert.Equal("release_120", latest!.Tag);
        Assert.True(github.Statistics.RateLimitWaits >= 1);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1), $"finished after {watch.Elapsed}, before the reset");
        Assert.Contains(reporter.Warnings, w => w.Contains("rate limit", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(reporter.ProgressUpdates, p => !p.Completed && p.Status.Contains("resets"));
    }

    [Fact]
    public async Task APrimaryRateLimitThatResetsTooLateIsLimitsExceededWithTheResetTime()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect(adjust: o => new GitHubConnectionOptions
        {
            ApiUrl = o.ApiUrl, Token = o.Token, CacheDirectory = o.CacheDirectory, RetryBaseDelay = o.RetryBaseDelay,
            RateLimitWaitLimit = TimeSpan.FromSeconds(30),
        });
        await sandbox.InjectAsync(new { service = "github", kind = "primary-rate-limit", resetSeconds = 600 });
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => github.Releases.GetLatestAsync(Whitehall));

        Assert.Equal("GitHubRateLimitExceeded", error.ErrorId);
        Assert.Equal(ErrorKind.LimitsExceeded, error.Kind);
        var reset = Assert.IsType<DateTimeOffset>(error.Target);
        Assert.InRange(reset - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
        Assert.Contains(reset.ToUniversalTime().ToString("HH:mm:ss"), error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task UsingUpTheAnonymousLimitIsLimitsExceeded()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var reporter = new RecordingReporter();
        // No cache: every request counts against the 60 an hour.
        var github = sandbox.Connect(token: null, reporter: reporter, cacheDirectory: "");

        var error = await Assert.ThrowsAsync<GovukDeployException>(async () =>
        {
            for (var i = 0; i < 31; i++)
            {
                await github.Releases.GetLatestAsync(Whitehall);
            }
        });

        Assert.Equal("GitHubRateLimitExceeded", error.ErrorId);
        Assert.Equal(60, github.Statistics.Requests - 1);
    }

    [Fact]
    public async Task ASecondaryRateLimitIsHonouredForItsRetryAfter()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        await sandbox.InjectAsync(new { service = "github", kind = "secondary-rate-limit", retryAfterSeconds = 1, status = 429 });
        var watch = Stopwatch.StartNew();

        var latest = await github.Releases.GetLatestAsync(Whitehall);

        Assert.Equal("release_120", latest!.Tag);
        Assert.Equal(1, github.Statistics.RateLimitWaits);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9));
    }

    [Fact]
    public async Task ARetryAfterLongerThanTheBoundIsLimitsExceeded()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        await sandbox.InjectAsync(new { service = "github", kind = "secondary-rate-limit", retryAfterSeconds = 300 });

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => github.Releases.GetLatestAsync(Whitehall));

        Assert.Equal("GitHubSecondaryRateLimit", error.ErrorId);
        Assert.Equal(ErrorKind.LimitsExceeded, error.Kind);
        Assert.Contains("300 s", error.Message);
    }

    [Fact]
    public async Task AShortBurstOfServerErrorsIsRetried()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        await sandbox.InjectAsync(new { service = "github", kind = "errors", count = 2, status = 503 });

        var latest = await github.Releases.GetLatestAsync(Whitehall);

        Assert.Equal("release_120", latest!.Tag);
        Assert.Equal(2, github.Statistics.Retries);
    }

    [Fact]
    public async Task ServerErrorsThatOutlastTheRetriesAreGitHubUnavailable()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        await sandbox.InjectAsync(new { service = "github", kind = "errors", count = 20, status = 500 });

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => github.Releases.GetLatestAsync(Whitehall));

        Assert.Equal("GitHubUnavailable", error.ErrorId);
        Assert.Equal(ErrorKind.ResourceUnavailable, error.Kind);
        Assert.Equal(github.Options.MaxRetries, github.Statistics.Retries);
    }

    [Fact]
    public async Task ADroppedConnectionIsRetriedForARead()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        await sandbox.InjectAsync(new { service = "github", kind = "drop", count = 1 });

        var latest = await github.Releases.GetLatestAsync(Whitehall);

        Assert.Equal("release_120", latest!.Tag);
        Assert.Equal(1, github.Statistics.Retries);
    }

    [Fact]
    public async Task AMissingRepositoryIsRepositoryNotFoundNamingIt()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => github.Releases.GetLatestAsync(GitHubSandbox.App("alphagov/not-a-repo")));

        Assert.Equal("RepositoryNotFound", error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);
        Assert.Contains("alphagov/not-a-repo", error.Message);
        Assert.Contains("may be private and the token may lack access", error.Message);
        Assert.Equal("alphagov/not-a-repo", error.Target);
    }

    [Fact]
    public async Task ABadTokenIsGitHubAuthenticationFailedWithoutEchoingTheToken()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        const string badToken = "ghp_ThisTokenIsWrongAndMustNeverBePrinted0";
        var github = sandbox.Connect(token: badToken);

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => github.Releases.GetLatestAsync(Whitehall));

        Assert.Equal("GitHubAuthenticationFailed", error.ErrorId);
        Assert.Equal(ErrorKind.AuthenticationError, error.Kind);
        Assert.DoesNotContain(badToken, error.Message);
        Assert.DoesNotContain(badToken, error.ToString());
        Assert.DoesNotContain(badToken, error.Target?.ToString() ?? "");
    }

    [Fact]
    public async Task ARepeatQueryIsAnswered304FromTheDiskCacheWhichHoldsNoToken()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var cache = sandbox.NewDirectory();
        var first = sandbox.Connect(cacheDirectory: cache);
        var apps = new[] { "whitehall", "frontend", "contacts-admin" }.Select(n => GitHubSandbox.App(n)).ToList();

        foreach (var app in apps)
        {
            await first.Releases.GetLatestAsync(app);
        }
        Assert.Equal(0, first.Statistics.NotModified);

        // A new connection (a new session) with the same cache folder sends conditional requests.
        var second = sandbox.Connect(cacheDirectory: cache);
        var again = new List<Release?>();
        foreach (var app in apps)
        {
            again.Add(await second.Releases.GetLatestAsync(app));
        }

        Assert.Equal(["release_120", "release_12", "release_8"], again.Select(r => r!.Tag));
        Assert.Equal(6, second.Statistics.Requests);
        Assert.Equal(6, second.Statistics.NotModified);

        // Six answers, plus the release tags each listing leaves beside them for tab completion.
        var files = Directory.GetFiles(cache, "*", SearchOption.AllDirectories);
        Assert.Equal(6, files.Count(f => !IsReleaseTagList(f)));
        Assert.Equal(3, files.Count(IsReleaseTagList));
        Assert.All(files, f =>
        {
            Assert.DoesNotContain(sandbox.Token, f);
            Assert.DoesNotContain(sandbox.Token, File.ReadAllText(f));
        });
    }

    [Fact]
    public async Task CacheEntriesUnusedForAMonthArePrunedWhenAConnectionStarts()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var cache = sandbox.NewDirectory();
        var first = sandbox.Connect(cacheDirectory: cache);
        await first.Releases.GetLatestAsync(Whitehall);
        var files = Directory.GetFiles(cache, "*.json", SearchOption.AllDirectories).Where(f => !IsReleaseTagList(f)).ToArray();
        Assert.Equal(2, files.Length);
        File.SetLastWriteTimeUtc(files[0], DateTime.UtcNow.AddDays(-31));
        File.SetLastWriteTimeUtc(files[1], DateTime.UtcNow.AddDays(-29));

        sandbox.Connect(cacheDirectory: cache);

        Assert.False(File.Exists(files[0]));
        Assert.True(File.Exists(files[1]));
    }

    [Fact]
    public async Task AChangedResourceIsReadAgainRatherThanServedStale()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect();
        Assert.Equal("release_12", (await github.Releases.GetLatestAsync(GitHubSandbox.App("frontend")))!.Tag);

        await sandbox.CreateTagAsync("frontend", "release_13", sandbox.BranchHead("frontend"));

        Assert.Equal("release_13", (await github.Releases.GetLatestAsync(GitHubSandbox.App("frontend")))!.Tag);
    }

    [Fact]
    public async Task WithoutATokenPublicRepositoriesWorkAndOneWarningGivesTheAnonymousLimit()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var reporter = new RecordingReporter();
        var github = sandbox.Connect(token: null, reporter: reporter);

        var latest = await github.Releases.GetLatestAsync(Whitehall, reporter: reporter);
        await github.Releases.GetLatestAsync(GitHubSandbox.App("frontend"), reporter: reporter);

        Assert.Equal("release_120", latest!.Tag);
        var warning = Assert.Single(reporter.Warnings);
        Assert.Contains("60", warning);
        Assert.True(github.IsAnonymous);
        Assert.Null(await github.GetCurrentLoginAsync());
    }

    [Fact]
    public async Task TheCurrentLoginIsReadOncePerConnection()
    {
        await using var sandbox = await GitHubSandbox.StartAsync();
        var github = sandbox.Connect(cacheDirectory: "");

        Assert.Equal("sandbox-developer", await github.GetCurrentLoginAsync());
        Assert.Equal("sandbox-developer", await github.GetCurrentLoginAsync());
        await github.Changes.GetUndeployedAsync(Whitehall, "staging", "release_119", "release_120");

        Assert.Equal(2, github.Statistics.Requests); // /user once, then the compare
    }

    private static bool IsReleaseTagList(string path) =>
        path.Contains(Path.DirectorySeparatorChar + "release-tags" + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
