using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Octokit;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>Each fault that POST /_sandbox/faults can inject, and clearing them.</summary>
public sealed class FaultTests
{
    private static readonly Dictionary<string, string> DeployFrontend = new()
    {
        ["TARGET_APPLICATION"] = "frontend",
        ["TAG"] = "release_12",
    };

    private static async Task Inject(TestSandbox sandbox, object fault)
    {
        using var response = await sandbox.PostJson("_sandbox/faults", fault);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LatencySlowsOnlyTheChosenServiceUntilCleared()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await Inject(sandbox, new { service = "github", kind = "latency", ms = 400 });

        var watch = Stopwatch.StartNew();
        await sandbox.GitHub().Repository.Get("alphagov", "frontend");
        Assert.True(watch.ElapsedMilliseconds >= 380, $"took {watch.ElapsedMilliseconds} ms");

        var listed = await sandbox.GetJson("_sandbox/faults");
        Assert.Equal("latency", listed[0].GetProperty("kind").GetString());

        using (var cleared = await sandbox.Http.DeleteAsync("_sandbox/faults?service=github"))
        {
            Assert.Equal(1, JsonDocument.Parse(await cleared.Content.ReadAsStringAsync()).RootElement.GetProperty("cleared").GetInt32());
        }
        watch.Restart();
        await sandbox.GitHub().Repository.Get("alphagov", "frontend");
        Assert.True(watch.ElapsedMilliseconds < 380, $"took {watch.ElapsedMilliseconds} ms after clearing");
    }

    [Fact]
    public async Task ABurstOfServerErrorsEndsAfterItsCount()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await Inject(sandbox, new { service = "github", kind = "errors", count = 2, status = 502 });
        var client = sandbox.GitHub();
        for (var i = 0; i < 2; i++)
        {
            var error = await Assert.ThrowsAsync<ApiException>(() => client.Repository.Get("alphagov", "frontend"));
            Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        }
        Assert.Equal("frontend", (await client.Repository.Get("alphagov", "frontend")).Name);

        await Inject(sandbox, new { service = "jenkins", kind = "errors" });
        using (var failed = await sandbox.Http.GetAsync("jenkins/integration/api/json"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }
        using var ok = await sandbox.Http.GetAsync("jenkins/integration/api/json");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task ADroppedConnectionGivesNoResponseAtAll()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await Inject(sandbox, new { service = "jenkins", kind = "drop", count = 1 });
        await Assert.ThrowsAsync<HttpRequestException>(() => sandbox.Http.GetAsync("jenkins/integration/api/json"));
        using var ok = await sandbox.Http.GetAsync("jenkins/integration/api/json");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task ThePrimaryRateLimitAnswers403WithNothingRemainingAndAResetTime()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await Inject(sandbox, new { service = "github", kind = "primary-rate-limit", resetSeconds = 120 });
        var error = await Assert.ThrowsAsync<RateLimitExceededException>(() => sandbox.GitHub().Repository.Get("alphagov", "frontend"));
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(0, error.Remaining);
        var untilReset = error.Reset - DateTimeOffset.UtcNow;
        Assert.InRange(untilReset.TotalSeconds, 100, 125);

        await sandbox.Http.DeleteAsync("_sandbox/faults");
        Assert.Equal("frontend", (await sandbox.GitHub().Repository.Get("alphagov", "frontend")).Name);
    }

    [Fact]
    public async Task SpendingTheAnonymousAllowanceHitsTheRealPrimaryLimit()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var anonymous = sandbox.GitHub(authenticated: false);
        for (var i = 0; i < 60; i++)
        {
            await anonymous.Repository.Get("alphagov", "frontend");
        }
        Assert.Equal(0, anonymous.GetLastApiInfo().RateLimit.Remaining);
        await Assert.ThrowsAsync<RateLimitExceededException>(() => anonymous.Repository.Get("alphagov", "frontend"));
        // The token's own allowance is separate.
        await sandbox.GitHub().Repository.Get("alphagov", "frontend");
    }

    [Fact]
    public async Task TheSecondaryRateLimitAnswersWithRetryAfter()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await Inject(sandbox, new { service = "github", kind = "secondary-rate-limit", retryAfterSeconds = 30 });
        var error = await Assert.ThrowsAsync<SecondaryRateLimitExceededException>(() => sandbox.GitHub().Repository.Get("alphagov", "frontend"));
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);

        await Inject(sandbox, new { service = "github", kind = "secondary-rate-limit", status = 429, retryAfterSeconds = 7 });
        using (var limited = await sandbox.Http.SendAsync(sandbox.GitHubRequest(HttpMethod.Get, "repos/alphagov/frontend")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter!.Delta);
            Assert.Contains("secondary rate limit", await limited.Content.ReadAsStringAsync());
        }
        using var ok = await sandbox.Http.SendAsync(sandbox.GitHubRequest(HttpMethod.Get, "repos/alphagov/frontend"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task ExpiredCrumbsAreRefusedUntilANewOneIsFetched()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        async Task<(string Crumb, string Cookie)> FetchCrumb()
        {
            using var issued = await sandbox.Http.GetAsync("jenkins/integration/crumbIssuer/api/json");
            var crumb = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("crumb").GetString()!;
            return (crumb, issued.Headers.GetValues("Set-Cookie").Single().Split(';')[0]);
        }
        async Task<HttpStatusCode> Post((string Crumb, string Cookie) session)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "jenkins/integration/job/Smokey/buildWithParameters");
            request.Headers.Add("Jenkins-Crumb", session.Crumb);
            request.Headers.Add("Cookie", session.Cookie);
            using var response = await sandbox.Http.SendAsync(request);
            return response.StatusCode;
        }

        var first = await FetchCrumb();
        Assert.Equal(HttpStatusCode.Created, await Post(first));
        await Inject(sandbox, new { service = "jenkins", kind = "crumb-expiry" });
        Assert.Equal(HttpStatusCode.Forbidden, await Post(first));
        Assert.Equal(HttpStatusCode.Created, await Post(await FetchCrumb()));
    }

    [Fact]
    public async Task TheNextDeployFailsOnlyInTheChosenEnvironment()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await Inject(sandbox, new { service = "jenkins", kind = "deploy-fail", environment = "staging" });

        var integration = await RunDeploy(sandbox, "integration");
        Assert.Equal("SUCCESS", integration.GetProperty("result").GetString());
        var staging = await RunDeploy(sandbox, "staging");
        Assert.Equal("FAILURE", staging.GetProperty("result").GetString());
        var again = await RunDeploy(sandbox, "staging");
        Assert.Equal("SUCCESS", again.GetProperty("result").GetString());
    }

    [Fact]
    public async Task AHangingDeployStaysBuildingUntilStopped()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.DeploySeconds = 0.4);
        await Inject(sandbox, new { service = "jenkins", kind = "deploy-hang" });
        var queueUrl = await sandbox.TriggerJenkins("integration", "job/Deploy_App", DeployFrontend);
        var buildUrl = (await sandbox.WaitForQueueItem(queueUrl)).GetProperty("executable").GetProperty("url").GetString()!;

        await Task.Delay(1500);
        Assert.True((await sandbox.GetJson(buildUrl + "api/json")).GetProperty("building").GetBoolean());

        using (var stop = new HttpRequestMessage(HttpMethod.Post, buildUrl + "stop"))
        {
            stop.Headers.Authorization = sandbox.JenkinsBasic();
            (await sandbox.Http.SendAsync(stop)).Dispose();
        }
        Assert.Equal("ABORTED", (await sandbox.WaitForBuild(buildUrl)).GetProperty("result").GetString());
    }

    [Fact]
    public async Task AnAbortedDeployEndsAborted()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await Inject(sandbox, new { service = "jenkins", kind = "deploy-abort" });
        var build = await RunDeploy(sandbox, "production");
        Assert.Equal("ABORTED", build.GetProperty("result").GetString());
    }

    [Fact]
    public async Task TheNextQueueItemIsCancelled()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await Inject(sandbox, new { service = "jenkins", kind = "queue-cancel" });
        var queueUrl = await sandbox.TriggerJenkins("integration", "job/Deploy_App", DeployFrontend);
        var item = await sandbox.WaitForQueueItem(queueUrl);
        Assert.True(item.GetProperty("cancelled").GetBoolean());

        var next = await sandbox.WaitForQueueItem(await sandbox.TriggerJenkins("integration", "job/Deploy_App", DeployFrontend));
        Assert.False(next.GetProperty("cancelled").GetBoolean());
    }

    [Fact]
    public async Task SmokeTestsCanBeMadeToFailAfterAnAutomaticDeploy()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await Inject(sandbox, new { service = "jenkins", kind = "smokey-fail", environment = "integration" });
        var client = sandbox.GitHub();
        await client.PullRequest.Merge("alphagov", "contacts-admin", 9, new Octokit.MergePullRequest());
        var deploy = await sandbox.WaitForEvent("alphagov/contacts-admin", "deploy-finished");
        Assert.EndsWith("SUCCESS", deploy.GetProperty("detail").GetString());
        var smokey = await sandbox.WaitForEvent("alphagov/contacts-admin", "smokey-finished");
        Assert.EndsWith("FAILURE", smokey.GetProperty("detail").GetString());
        var console = await sandbox.Http.GetStringAsync(smokey.GetProperty("url").GetString() + "consoleText");
        Assert.Contains("1 failed", console);
    }

    [Fact]
    public async Task TheReleaseAppCanBeDownWhileTheRestWorks()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await Inject(sandbox, new { service = "release", kind = "down" });
        using (var down = await sandbox.Http.GetAsync("release/applications/frontend.json"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        }
        await sandbox.GitHub().Repository.Get("alphagov", "frontend");
        using (var jenkins = await sandbox.Http.GetAsync("jenkins/production/api/json"))
        {
            Assert.Equal(HttpStatusCode.OK, jenkins.StatusCode);
        }
        using (var health = await sandbox.Http.GetAsync("_sandbox/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        await sandbox.Http.DeleteAsync("_sandbox/faults?service=release");
        using var up = await sandbox.Http.GetAsync("release/applications/frontend.json");
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
    }

    [Fact]
    public async Task OneEnvironmentsJenkinsCanBeDownWhileTheOthersAnswer()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await Inject(sandbox, new { service = "jenkins", kind = "down", environment = "staging" });

        using (var down = await sandbox.Http.GetAsync("jenkins/staging/job/Deploy_App/api/json"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        }
        foreach (var environment in new[] { "integration", "production", "ci" })
        {
            using var up = await sandbox.Http.GetAsync($"jenkins/{environment}/api/json");
            Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        }
        // Down lasts until cleared, not for one request.
        using (var still = await sandbox.Http.GetAsync("jenkins/staging/api/json"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, still.StatusCode);
        }

        await sandbox.Http.DeleteAsync("_sandbox/faults?service=jenkins");
        using var back = await sandbox.Http.GetAsync("jenkins/staging/api/json");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    [Fact]
    public async Task EveryJenkinsIsDownWhenNoEnvironmentIsGiven()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await Inject(sandbox, new { service = "jenkins", kind = "down" });
        foreach (var environment in new[] { "integration", "staging", "production", "ci" })
        {
            using var down = await sandbox.Http.GetAsync($"jenkins/{environment}/api/json");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        }
        using var github = await sandbox.Http.SendAsync(sandbox.GitHubRequest(HttpMethod.Get, "repos/alphagov/frontend"));
        Assert.Equal(HttpStatusCode.OK, github.StatusCode);
    }

    [Fact]
    public async Task GitHubCanBeDownWhileJenkinsAndTheReleaseAppAnswer()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await Inject(sandbox, new { service = "github", kind = "down" });

        var error = await Assert.ThrowsAsync<ApiException>(() => sandbox.GitHub().Repository.Get("alphagov", "frontend"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        using (var again = await sandbox.Http.SendAsync(sandbox.GitHubRequest(HttpMethod.Get, "repos/alphagov/frontend/branches/deployed-to-staging")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, again.StatusCode);
            Assert.Contains("down", await again.Content.ReadAsStringAsync());
        }
        using (var jenkins = await sandbox.Http.GetAsync("jenkins/staging/job/Deploy_App/api/json"))
        {
            Assert.Equal(HttpStatusCode.OK, jenkins.StatusCode);
        }
        using (var release = await sandbox.Http.GetAsync("release/applications/frontend.json"))
        {
            Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        }

        await sandbox.Http.DeleteAsync("_sandbox/faults?service=github");
        Assert.Equal("frontend", (await sandbox.GitHub().Repository.Get("alphagov", "frontend")).Name);
    }

    [Theory]
    [InlineData("{\"service\":\"github\",\"kind\":\"melt\"}", "kind")]
    [InlineData("{\"service\":\"gitlab\",\"kind\":\"errors\"}", "service")]
    [InlineData("{\"service\":\"release\",\"kind\":\"deploy-fail\"}", "jenkins")]
    [InlineData("{\"service\":\"github\",\"kind\":\"latency\"}", "ms")]
    [InlineData("not json", "JSON")]
    public async Task BadFaultRequestsAreExplained(string body, string mentioned)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var response = await sandbox.Http.PostAsync("_sandbox/faults", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentioned, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> RunDeploy(TestSandbox sandbox, string environment)
    {
        var queueUrl = await sandbox.TriggerJenkins(environment, "job/Deploy_App", DeployFrontend);
        var buildUrl = (await sandbox.WaitForQueueItem(queueUrl)).GetProperty("executable").GetProperty("url").GetString()!;
        return await sandbox.WaitForBuild(buildUrl);
    }
}
