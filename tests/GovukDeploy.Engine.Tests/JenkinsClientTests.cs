using GovukDeploy.Configuration;
using GovukDeploy.Errors;
using GovukDeploy.Jenkins;
using GovukDeploy.Sandbox.Jenkins;

namespace GovukDeploy.Tests;

/// <summary>The Jenkins client against the sandbox's Jenkins on 127.0.0.1.</summary>
public sealed class JenkinsClientTests : IAsyncLifetime
{
    private DeployHarness _h = null!;

    public async Task InitializeAsync() => _h = await DeployHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static Dictionary<string, string> DeployParameters(string tag = "release_12", string app = "frontend") =>
        new() { ["TARGET_APPLICATION"] = app, ["DEPLOY_TASK"] = "deploy", ["TAG"] = tag };

    [Theory]
    [InlineData("Deploy_App", "job/Deploy_App/")]
    [InlineData("govuk/deploys/Deploy_App", "job/govuk/job/deploys/job/Deploy_App/")]
    [InlineData("/a b/c/", "job/a%20b/job/c/")]
    public void JobNamesWithFoldersBecomeJobPaths(string name, string expected) =>
        Assert.Equal(expected, JenkinsJobPath.ToUrlPath(name));

    [Fact]
    public void AnEmptyJobNameIsRefused() =>
        Assert.Equal("InvalidJobName", Assert.Throws<GovukDeployException>(() => JenkinsJobPath.ToUrlPath(" / ")).ErrorId);

    [Theory]
    [InlineData("../../script")]
    [InlineData("deploys/./Deploy_App")]
    public void AJobNameThatWalksThePathIsRefused(string name) =>
        Assert.Equal("InvalidJobName", Assert.Throws<GovukDeployException>(() => JenkinsJobPath.ToUrlPath(name)).ErrorId);

    [Fact]
    public void EachEnvironmentHasItsOwnJenkins()
    {
        var connection = new JenkinsConnection("https://deploy.{environment}.publishing.service.gov.uk");
        Assert.Equal("https://deploy.staging.publishing.service.gov.uk/", connection.BaseUrlFor("staging").ToString());
        Assert.Equal("https://deploy.production.publishing.service.gov.uk/", connection.BaseUrlFor("production").ToString());
    }

    [Fact]
    public async Task ApiTokenAuthFollowsTheQueueToTheBuildAndStreamsTheConsole()
    {
        using var client = new JenkinsClient(_h.ApiTokenConnection(), "integration", DeployHarness.FastPolling);

        var queued = await client.TriggerAsync("Deploy_App", DeployParameters(), CancellationToken.None);
        Assert.NotNull(queued.QueueId);
        Assert.Contains("/jenkins/integration/queue/item/", queued.QueueUrl);
        var started = await client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None);
        Assert.True(started.Building);
        Assert.Equal("release_12", started.Parameters["TAG"]);
        var lines = new List<string>();
        var polls = new List<JenkinsBuildInfo>();
        var finished = await client.WatchAsync(started.Url, lines.Add, polls.Add, CancellationToken.None);

        Assert.Equal("SUCCESS", finished.Result);
        Assert.False(finished.Building);
        Assert.True(finished.Duration > TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromMilliseconds(600), finished.EstimatedDuration);
        // Token auth is a signed-in user; every console line arrives once, in order.
        Assert.Equal("Started by user sandbox-developer", lines[0]);
        Assert.Equal(lines.Count, lines.Distinct().Count());
        Assert.Contains("deployment \"frontend\" successfully rolled out", lines);
        Assert.Equal("Finished: SUCCESS", lines[^1]);
        Assert.Contains(polls, p => p.Building);
    }

    [Fact]
    public async Task WithoutATokenTheCrumbAndItsSessionCookieAreUsed()
    {
        using var client = new JenkinsClient(_h.CrumbConnection(), "integration", DeployHarness.FastPolling);

        var queued = await client.TriggerAsync("Deploy_App", DeployParameters(), CancellationToken.None);
        var build = await client.WatchAsync((await client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None)).Url, null, null, CancellationToken.None);

        Assert.Equal("SUCCESS", build.Result);
        var lines = new List<string>();
        await client.WatchAsync(build.Url, lines.Add, null, CancellationToken.None);
        Assert.Equal("Started by anonymous user", lines[0]);
    }

    [Fact]
    public async Task AnExpiredCrumbIsRefreshedOnceWithANewSession()
    {
        using var client = new JenkinsClient(_h.CrumbConnection(), "integration", DeployHarness.FastPolling);
        var first = await client.TriggerAsync("Deploy_App", DeployParameters(), CancellationToken.None);
        await client.WaitForBuildAsync(first, "Deploy_App", null, CancellationToken.None);

        // Every session and crumb issued so far stops working (as after a Jenkins restart).
        await _h.FaultAsync("jenkins", "crumb-expiry", environment: "integration");
        var second = await client.TriggerAsync("Deploy_App", DeployParameters("release_11"), CancellationToken.None);
        var build = await client.WaitForBuildAsync(second, "Deploy_App", null, CancellationToken.None);

        Assert.Equal("release_11", build.Parameters["TAG"]);
    }

    [Fact]
    public async Task AWrongTokenIsAnAuthenticationErrorThatDoesNotShowTheToken()
    {
        const string token = "11deadbeefdeadbeefdeadbeefdeadbeef";
        using var client = new JenkinsClient(new JenkinsConnection(_h.JenkinsTemplate, "sandbox-developer", new Secret(token)), "integration", DeployHarness.FastPolling);

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => client.TriggerAsync("Deploy_App", DeployParameters(), CancellationToken.None));

        Assert.Equal("JenkinsAuthenticationFailed", error.ErrorId);
        Assert.Equal(ErrorKind.AuthenticationError, error.Kind);
        Assert.DoesNotContain(token, error.ToString());
    }

    [Fact]
    public async Task AnUnknownJobIsJobNotFound()
    {
        using var client = new JenkinsClient(_h.ApiTokenConnection(), "integration", DeployHarness.FastPolling);
        var error = await Assert.ThrowsAsync<GovukDeployException>(() => client.TriggerAsync("No_Such_Job", DeployParameters(), CancellationToken.None));
        Assert.Equal("JenkinsJobNotFound", error.ErrorId);
    }

    [Fact]
    public async Task JobsInFoldersAreTriggeredAndFollowed()
    {
        var jenkins = _h.Server.Farm["integration"];
        var deployApp = jenkins.FindJob("Deploy_App")!;
        jenkins.AddJob("govuk/deploys/Deploy_App", JobKind.FreeStyle, deployApp.Parameters, deployApp.Script);
        using var client = new JenkinsClient(_h.ApiTokenConnection(), "integration", DeployHarness.FastPolling);

        var queued = await client.TriggerAsync("govuk/deploys/Deploy_App", DeployParameters(), CancellationToken.None);
        var started = await client.WaitForBuildAsync(queued, "govuk/deploys/Deploy_App", null, CancellationToken.None);
        var finished = await client.WatchAsync(started.Url, null, null, CancellationToken.None);

        Assert.Contains("/job/govuk/job/deploys/job/Deploy_App/1/", finished.Url);
        Assert.Equal("SUCCESS", finished.Result);
    }

    [Fact]
    public async Task ACancelledQueueItemIsDeployQueueCancelled()
    {
        await _h.FaultAsync("jenkins", "queue-cancel", environment: "integration");
        using var client = new JenkinsClient(_h.ApiTokenConnection(), "integration", DeployHarness.FastPolling);
        var queued = await client.TriggerAsync("Deploy_App", DeployParameters(), CancellationToken.None);

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None));

        Assert.Equal("DeployQueueCancelled", error.ErrorId);
        Assert.Equal(ErrorKind.OperationStopped, error.Kind);
    }

    [Fact]
    public async Task PollingSurvivesServerErrorsAndDroppedConnections()
    {
        using var client = new JenkinsClient(_h.ApiTokenConnection(), "integration", DeployHarness.FastPolling);
        var queued = await client.TriggerAsync("Deploy_App", DeployParameters(), CancellationToken.None);
        var started = await client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None);
        await _h.FaultAsync("jenkins", "errors", count: 3);
        await _h.FaultAsync("jenkins", "drop", count: 2);

        var lines = new List<string>();
        var finished = await client.WatchAsync(started.Url, lines.Add, null, CancellationToken.None);

        Assert.Equal("SUCCESS", finished.Result);
        Assert.Equal(lines.Count, lines.Distinct().Count());
        Assert.Single(lines, l => l.Contains("image updated"));
        Assert.Equal("Finished: SUCCESS", lines[^1]);
        // The faults were all used up, so the watch really went through them.
        Assert.Equal(0, (await _h.GetJsonAsync("_sandbox/faults")).GetArrayLength());
    }

    [Fact]
    public async Task PollingGivesUpAfterBoundedRetriesWithAConnectionError()
    {
        using var client = new JenkinsClient(_h.ApiTokenConnection(), "integration", DeployHarness.FastPolling with { MaxRetries = 2 });
        await _h.FaultAsync("jenkins", "errors", count: 10);

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => client.GetNextBuildNumberAsync("Deploy_App", CancellationToken.None));

        Assert.Equal("JenkinsUnreachable", error.ErrorId);
        Assert.Equal(ErrorKind.ConnectionError, error.Kind);
    }

    [Fact]
    public async Task ATriggerWhoseAnswerWasLostIsFoundNotRepeated()
    {
        LosingHandler? losing = null;
        var options = DeployHarness.FastPolling with
        {
            WrapHandler = inner => losing = new LosingHandler(inner, r => r.RequestUri!.AbsolutePath.EndsWith("/buildWithParameters"), afterSending: true),
        };
        using var client = new JenkinsClient(_h.ApiTokenConnection(), "integration", options);
        var before = await _h.BuildNumbersAsync("integration");

        var queued = await client.TriggerAsync("Deploy_App", DeployParameters("release_10"), CancellationToken.None);
        var build = await client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None);
        await client.WatchAsync(build.Url, null, null, CancellationToken.None);

        Assert.Equal(1, losing!.Lost);
        Assert.True(queued.Recovered);
        Assert.Equal("release_10", build.Parameters["TAG"]);
        Assert.Single((await _h.BuildNumbersAsync("integration")).Except(before));
    }

    [Fact]
    public async Task ATriggerLostBeforeJenkinsSawItIsSentAgainOnce()
    {
        LosingHandler? losing = null;
        var options = DeployHarness.FastPolling with
        {
            WrapHandler = inner => losing = new LosingHandler(inner, r => r.RequestUri!.AbsolutePath.EndsWith("/buildWithParameters"), afterSending: false),
        };
        using var client = new JenkinsClient(_h.ApiTokenConnection(), "integration", options);
        var before = await _h.BuildNumbersAsync("integration");

        var queued = await client.TriggerAsync("Deploy_App", DeployParameters("release_9"), CancellationToken.None);
        var build = await client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None);

        Assert.Equal(1, losing!.Lost);
        Assert.False(queued.Recovered);
        Assert.Equal("release_9", build.Parameters["TAG"]);
        Assert.Single((await _h.BuildNumbersAsync("integration")).Except(before));
    }

    [Fact]
    public async Task ATriggerThatKeepsFailingIsReportedAsUnknownNotRepeatedForever()
    {
        var options = DeployHarness.FastPolling with
        {
            WrapHandler = inner => new LosingHandler(inner, r => r.RequestUri!.AbsolutePath.EndsWith("/buildWithParameters"), afterSending: false, times: 5),
        };
        using var client = new JenkinsClient(_h.ApiTokenConnection(), "integration", options);
        var before = await _h.BuildNumbersAsync("integration");

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => client.TriggerAsync("Deploy_App", DeployParameters(), CancellationToken.None));

        Assert.Equal("JenkinsTriggerOutcomeUnknown", error.ErrorId);
        Assert.Equal(before, await _h.BuildNumbersAsync("integration"));
    }

    [Fact]
    public async Task AQueueItemIsCancelledBeforeItStarts()
    {
        await using var slow = await DeployHarness.StartAsync(o => o.QueueSeconds = 5);
        var before = await slow.BuildNumbersAsync("integration");
        using var client = new JenkinsClient(slow.ApiTokenConnection(), "integration", DeployHarness.FastPolling);
        var queued = await client.TriggerAsync("Deploy_App", DeployParameters(), CancellationToken.None);

        Assert.True(await client.CancelQueueItemAsync(queued.QueueId!.Value, CancellationToken.None));

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None));
        Assert.Equal("DeployQueueCancelled", error.ErrorId);
        // No build beyond the seeded history.
        Assert.Equal(before, await slow.BuildNumbersAsync("integration"));
    }

    [Fact]
    public async Task CancellingAQueueItemThatBecameABuildLeavesTheBuildRunning()
    {
        using var client = new JenkinsClient(_h.ApiTokenConnection(), "integration", DeployHarness.FastPolling);
        var queued = await client.TriggerAsync("Deploy_App", DeployParameters(), CancellationToken.None);
        var started = await client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None);

        Assert.False(await client.CancelQueueItemAsync(queued.QueueId!.Value, CancellationToken.None));

        Assert.Equal("SUCCESS", (await client.WatchAsync(started.Url, null, null, CancellationToken.None)).Result);
    }

    [Fact]
    public async Task ABuildUrlFromAMisconfiguredJenkinsRootIsFollowedUnderTheConfiguredAddress()
    {
        using var client = new JenkinsClient(_h.ApiTokenConnection(), "integration", DeployHarness.FastPolling);
        var queued = await client.TriggerAsync("Deploy_App", DeployParameters(), CancellationToken.None);
        var started = await client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None);
        var path = new Uri(started.Url).AbsolutePath;
        var wrong = "http://localhost:8080" + path[path.IndexOf("/job/", StringComparison.Ordinal)..];

        var finished = await client.WatchAsync(wrong, null, null, CancellationToken.None);

        Assert.Equal(started.Number, finished.Number);
        Assert.Equal("SUCCESS", finished.Result);
    }

    [Fact]
    public async Task ATriggerWhoseAnswerWasLostIsFoundInTheQueueWhileItWaits()
    {
        await using var slow = await DeployHarness.StartAsync(o => o.QueueSeconds = 3);
        QueueListingHandler? listing = null;
        var options = DeployHarness.FastPolling with { WrapHandler = inner => listing = new QueueListingHandler(inner) };
        using var client = new JenkinsClient(slow.ApiTokenConnection(), "integration", options);
        var before = await slow.BuildNumbersAsync("integration");

        var queued = await client.TriggerAsync("Deploy_App", DeployParameters("release_7"), CancellationToken.None);

        Assert.True(queued.Recovered);
        Assert.Equal(listing!.LostQueueId, queued.QueueId);
        var build = await client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None);
        Assert.Equal("release_7", build.Parameters["TAG"]);
        // Exactly one build more than the seeded history: the trigger was not repeated.
        Assert.Equal([build.Number, .. before], await slow.BuildNumbersAsync("integration"));
    }

    /// <summary>
    /// Loses the answer to the trigger after Jenkins acted on it, and lists the queued item in
    /// /queue/api/json as a real Jenkins does (the sandbox's queue listing is always empty).
    /// </summary>
    private sealed class QueueListingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private string? _jobUrl;
        private Dictionary<string, string>? _parameters;

        public long? LostQueueId { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (request.Method == HttpMethod.Post && path.EndsWith("/buildWithParameters") && LostQueueId is null)
            {
                var form = await request.Content!.ReadAsStringAsync(cancellationToken);
                using var response = await base.SendAsync(request, cancellationToken);
                LostQueueId = long.Parse(response.Headers.Location!.AbsolutePath.TrimEnd('/').Split('/')[^1]);
                _jobUrl = request.RequestUri.GetLeftPart(UriPartial.Path)[..^"buildWithParameters".Length];
                _parameters = form.Split('&').Select(p => p.Split('=')).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]));
                throw new HttpRequestException("The connection was reset (test).");
            }

            if (request.Method == HttpMethod.Get && path.EndsWith("/queue/api/json") && LostQueueId is { } id)
            {
                var item = new Dictionary<string, object?>
                {
                    ["id"] = id,
                    ["task"] = new Dictionary<string, object?> { ["url"] = _jobUrl },
                    ["actions"] = new object[]
                    {
                        new Dictionary<string, object?> { ["parameters"] = _parameters!.Select(p => new Dictionary<string, object?> { ["name"] = p.Key, ["value"] = p.Value }).ToList() },
                    },
                };
                return new HttpResponseMessage(System.Net.HttpStatusCode.OK)
                {
                    Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { items = new[] { item } }), System.Text.Encoding.UTF8, "application/json"),
                };
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
