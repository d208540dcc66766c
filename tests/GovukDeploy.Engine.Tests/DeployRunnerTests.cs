using System.Net;
using System.Net.Sockets;
using System.Text;
using GovukDeploy.Configuration;
using GovukDeploy.Deploys;
using GovukDeploy.Errors;
using GovukDeploy.Store;

namespace GovukDeploy.Tests;

/// <summary>Deploys end to end: the sandbox's Jenkins and Release app, and a real SQLite store.</summary>
public sealed class DeployRunnerTests : IAsyncLifetime
{
    private DeployHarness _h = null!;

    public async Task InitializeAsync() => _h = await DeployHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<Application> App(string name) => (await _h.Store.GetApplicationAsync(name))!;

    [Fact]
    public async Task ASuccessfulDeployIsRecordedStreamedAndToldToTheReleaseApp()
    {
        var reporter = new RecordingReporter();
        var service = _h.Service(recorder: _h.ReleaseApp());

        var deployment = await service.DeployAsync(_h.Gate(DeployHarness.Request("contacts-admin", "integration", "release_8")), reporter, CancellationToken.None);

        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        Assert.Equal("release_8", deployment.Release);
        Assert.Equal("tester", deployment.DeployedBy);
        Assert.Contains("/jenkins/integration/job/Deploy_App/", deployment.BuildUrl);
        Assert.NotNull(deployment.FinishedAt);
        Assert.Equal(6, deployment.Gates.Length);
        // TARGET_APPLICATION is the deploy name, not the app's name.
        Assert.Contains(reporter.Lines, l => l == "Deploying contacts release_8 to integration (task: deploy)");
        Assert.Contains(reporter.ProgressUpdates, p => p.PercentComplete is > 0 and < 100);
        Assert.Contains(reporter.ProgressUpdates, p => p.Completed);
        Assert.Empty(reporter.Warnings);
        var stored = await _h.Store.GetDeploymentAsync(deployment.Id);
        Assert.Equal(DeploymentStatus.Succeeded, stored!.Status);
        var recorded = await _h.GetJsonAsync("_sandbox/release/deployments?repo=alphagov/contacts-admin&environment=integration");
        Assert.Contains(recorded.EnumerateArray(), d => d.GetProperty("source").GetString() == "api" && d.GetProperty("version").GetString() == "release_8");
        // No secret shows up in anything the deploy reported.
        var said = reporter.Lines.Concat(reporter.Warnings).Concat(reporter.VerboseLines).Concat(reporter.ProgressUpdates.Select(p => p.Status)).ToList();
        Assert.DoesNotContain(said, l => l.Contains(_h.Server.Credentials.JenkinsApiToken) || l.Contains(_h.Server.Credentials.ReleaseAppToken));
        // The lock is released once the deploy is over.
        Assert.True((await _h.Store.TryAcquireLockAsync("contacts-admin", "integration", "someone-else", TimeSpan.FromMinutes(1))).Acquired);
    }

    [Fact]
    public async Task AReleaseAppThatFailsLeavesTheDeploySucceededWithAWarning()
    {
        await _h.FaultAsync("release", "down", count: 5);
        var reporter = new RecordingReporter();

        var deployment = await _h.Service(recorder: _h.ReleaseApp()).DeployAsync(_h.Gate(DeployHarness.Request("frontend", "integration")), reporter, CancellationToken.None);

        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        var warning = Assert.Single(reporter.Warnings);
        Assert.Contains("Release app did not record it", warning);
        Assert.Contains("by hand", warning);
        Assert.DoesNotContain(_h.Server.Credentials.ReleaseAppToken, warning);
    }

    [Fact]
    public async Task AFailedBuildCarriesItsLastConsoleLinesAndBuildUrl()
    {
        await _h.FaultAsync("jenkins", "deploy-fail", environment: "integration");
        var service = _h.Service();

        var error = await Assert.ThrowsAsync<GovukDeployException>(() =>
            service.DeployAsync(_h.Gate(DeployHarness.Request("frontend", "integration")), new RecordingReporter(), CancellationToken.None));

        Assert.Equal("DeployFailed", error.ErrorId);
        var deployment = Assert.IsType<Deployment>(error.Target);
        Assert.Equal(DeploymentStatus.Failed, deployment.Status);
        Assert.Contains(deployment.BuildUrl!, error.Message);
        Assert.Contains("error: deployment exceeded its progress deadline (sandbox fault)", error.Message);
        Assert.Contains("Finished: FAILURE", error.Message);
        Assert.Equal(DeploymentStatus.Failed, (await _h.Store.GetDeploymentAsync(deployment.Id))!.Status);
        Assert.DoesNotContain(_h.Server.Credentials.JenkinsApiToken, error.ToString());
    }

    [Fact]
    public async Task OnlyTheLastTwentyLinesAreCarried()
    {
        _h.Settings = _h.Settings with { FailureTailLines = 3 };
        await _h.FaultAsync("jenkins", "deploy-fail", environment: "integration");

        var error = await Assert.ThrowsAsync<GovukDeployException>(() =>
            _h.Service().DeployAsync(_h.Gate(DeployHarness.Request("frontend", "integration")), new RecordingReporter(), CancellationToken.None));

        Assert.Contains("Last 3 console lines", error.Message);
        Assert.DoesNotContain("Started by user", error.Message);
    }

    [Fact]
    public async Task AnAbortedBuildIsRecordedAborted()
    {
        await _h.FaultAsync("jenkins", "deploy-abort", environment: "integration");

        var error = await Assert.ThrowsAsync<GovukDeployException>(() =>
            _h.Service().DeployAsync(_h.Gate(DeployHarness.Request("frontend", "integration")), new RecordingReporter(), CancellationToken.None));

        Assert.Equal("DeployAborted", error.ErrorId);
        Assert.Equal(DeploymentStatus.Aborted, Assert.IsType<Deployment>(error.Target).Status);
    }

    [Fact]
    public async Task AQueueItemCancelledInJenkinsIsRecordedAbortedWithNoBuild()
    {
        await _h.FaultAsync("jenkins", "queue-cancel", environment: "integration");

        var error = await Assert.ThrowsAsync<GovukDeployException>(() =>
            _h.Service().DeployAsync(_h.Gate(DeployHarness.Request("frontend", "integration")), new RecordingReporter(), CancellationToken.None));

        Assert.Equal("DeployQueueCancelled", error.ErrorId);
        // Recorded when it was triggered, so it ends Aborted rather than vanishing.
        var recorded = Assert.Single(await _h.Store.GetDeploymentsAsync(DeploymentQuery.All));
        Assert.Equal((DeploymentStatus.Aborted, (string?)null), (recorded.Status, recorded.BuildUrl));
        Assert.Contains("/queue/item/", recorded.QueueUrl);
        Assert.Equal(recorded.Id, Assert.IsType<Deployment>(error.Target).Id);
        Assert.Contains($"Deploy #{recorded.Id} is recorded Aborted", error.Message);
    }

    [Fact]
    public async Task CancellingBeforeTheBuildStartsCancelsTheQueueItem()
    {
        await using var slow = await DeployHarness.StartAsync(o => o.QueueSeconds = 4);
        var before = await slow.BuildNumbersAsync("integration");
        using var cts = new CancellationTokenSource();
        var reporter = new RecordingReporter { OnProgress = p => { if (p.Status.StartsWith("In Jenkins' queue")) cts.Cancel(); } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            slow.Service().DeployAsync(slow.Gate(DeployHarness.Request("frontend", "integration")), reporter, cts.Token));

        Assert.Contains(reporter.Warnings, w => w.Contains("Cancelled the queued Deploy_App build"));
        var recorded = Assert.Single(await slow.Store.GetDeploymentsAsync(DeploymentQuery.All));
        Assert.Equal((DeploymentStatus.Aborted, (string?)null), (recorded.Status, recorded.BuildUrl));
        await Task.Delay(4500);
        // No build came of it (the seeded history is all there is).
        Assert.Equal(before, await slow.BuildNumbersAsync("integration"));
        // The lock went with the cancelled deploy.
        Assert.True((await slow.Store.TryAcquireLockAsync("frontend", "integration", "next", TimeSpan.FromMinutes(1))).Acquired);
    }

    [Fact]
    public async Task CancellingOnceTheBuildRunsStopsWatchingAndWaitResumesItInANewProcess()
    {
        using var cts = new CancellationTokenSource();
        var reporter = new RecordingReporter { OnInformation = l => { if (l.Contains("git fetch")) cts.Cancel(); } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _h.Service().DeployAsync(_h.Gate(DeployHarness.Request("frontend", "integration")), reporter, cts.Token));

        Assert.Contains(reporter.Warnings, w => w.Contains("Stopped watching") && w.Contains("Wait-Deployment"));
        var inProgress = Assert.Single(await _h.Store.GetDeploymentsAsync(new DeploymentQuery { InProgressOnly = true }));
        Assert.NotNull(inProgress.BuildUrl);

        // A new session: its own store connection and Jenkins clients, only the stored record to go on.
        await using var store = DeployStoreFactory.Open("sqlite:" + _h.StorePath);
        var record = (await store.GetDeploymentsAsync(new DeploymentQuery { InProgressOnly = true })).Single();
        var resumed = new RecordingReporter();
        var finished = await _h.Runner(_h.Jenkins(), store: store).WaitAsync(record, resumed, CancellationToken.None);

        Assert.Equal(DeploymentStatus.Succeeded, finished.Status);
        Assert.Equal(inProgress.Id, finished.Id);
        Assert.Contains("Finished: SUCCESS", resumed.Lines);
        // The build was never stopped: Jenkins ran it to the end.
        var build = await _h.GetJsonAsync(new Uri(inProgress.BuildUrl!).AbsolutePath.TrimStart('/') + "api/json");
        Assert.Equal("SUCCESS", build.GetProperty("result").GetString());
    }

    [Fact]
    public async Task WaitingForAFinishedDeploymentReturnsItAsItIs()
    {
        var done = await _h.RecordAsync("frontend", "integration", "release_12", DeploymentStatus.Succeeded);
        var same = await _h.Runner().WaitAsync(done, new RecordingReporter(), CancellationToken.None);
        Assert.Same(done, same);
    }

    [Fact]
    public async Task NoWaitReturnsInProgressAndWaitFinishesIt()
    {
        var service = _h.Service();
        var started = await service.DeployAsync(_h.Gate(DeployHarness.Request("frontend", "integration") with { NoWait = true }), new RecordingReporter(), CancellationToken.None);

        Assert.Equal(DeploymentStatus.InProgress, started.Status);
        // While it runs, a second deploy of the same app to the same environment is refused.
        var second = await Assert.ThrowsAsync<GovukDeployException>(() =>
            service.DeployAsync(_h.Gate(DeployHarness.Request("frontend", "integration", "release_11")), new RecordingReporter(), CancellationToken.None));
        Assert.Equal("DeployInProgress", second.ErrorId);

        var finished = await service.Runner.WaitAsync(started, new RecordingReporter(), CancellationToken.None);
        Assert.Equal(DeploymentStatus.Succeeded, finished.Status);
    }

    [Fact]
    public async Task ABranchDeployGoesToIntegrationWithTheBranchAsTag()
    {
        var pulls = await _h.GitHubJsonAsync("repos/alphagov/frontend/pulls?state=open");
        var branch = pulls.EnumerateArray().First().GetProperty("head").GetProperty("ref").GetString()!;
        var reporter = new RecordingReporter();

        var deployment = await _h.Service().DeployAsync(_h.Gate(DeployHarness.Request("frontend", "integration", branch: branch)), reporter, CancellationToken.None);

        Assert.True(deployment.IsBranchDeploy);
        Assert.Equal(branch, deployment.Release);
        Assert.Contains($"Deploying frontend {branch} to integration (task: deploy)", reporter.Lines);
    }

    [Fact]
    public async Task TheSmokeTestRunsAfterASuccessfulDeployAndIsStored()
    {
        var reporter = new RecordingReporter();
        var deployment = await _h.Service().DeployAsync(_h.Gate(DeployHarness.Request("frontend", "integration") with { SmokeTest = true }), reporter, CancellationToken.None);

        Assert.Equal("Passed", deployment.SmokeTest);
        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        Assert.Equal("Passed", (await _h.Store.GetDeploymentAsync(deployment.Id))!.SmokeTest);
        Assert.Contains(reporter.Lines, l => l.Contains("Running smoke tests tagged @app-frontend against integration"));
    }

    [Fact]
    public async Task AFailedSmokeTestIsStoredAndWarnedAboutButTheDeployStillSucceeded()
    {
        await _h.FaultAsync("jenkins", "smokey-fail", environment: "integration");
        var reporter = new RecordingReporter();

        var deployment = await _h.Service().DeployAsync(_h.Gate(DeployHarness.Request("frontend", "integration") with { SmokeTest = true }), reporter, CancellationToken.None);

        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        Assert.Equal("Failed", deployment.SmokeTest);
        Assert.Contains(reporter.Warnings, w => w.Contains("smoke tests for frontend in integration failed") && w.Contains("/job/Smokey/"));
        Assert.Contains(reporter.Lines, l => l.Contains("14 scenarios (1 failed, 13 passed)"));
    }

    [Fact]
    public async Task ASmokeTestRunsAlone()
    {
        var result = await _h.Runner().SmokeTestAsync(await App("contacts-admin"), "staging", new RecordingReporter(), CancellationToken.None);

        Assert.True(result.Passed);
        Assert.Equal("staging", result.Environment);
        Assert.Contains("/jenkins/staging/job/Smokey/", result.BuildUrl);
    }

    [Fact]
    public async Task AnnouncementsArePostedToTheWebhookAndAFailedPostIsAWarning()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = AcceptOneAsync(listener);
        var reporter = new RecordingReporter();
        using var slack = new SlackAnnouncer(new Secret($"http://127.0.0.1:{port}/services/T000/B000/secret-part"));

        await _h.Runner(slack: slack).RunAsync(DeployHarness.Request("frontend", "integration") with { Announce = "Risky: new caching" },
            await App("frontend"), [], reporter, CancellationToken.None);

        var request = await received;
        Assert.StartsWith("POST /services/T000/B000/secret-part", request);
        Assert.Contains("{\"text\":\"tester is deploying frontend release_12 to integration: Risky: new caching\"}", request);
        Assert.Empty(reporter.Warnings);

        // Nobody listens any more: the deploy goes on, with a warning that does not show the webhook.
        listener.Stop();
        var failing = new RecordingReporter();
        var deployment = await _h.Runner(slack: slack).RunAsync(DeployHarness.Request("frontend", "integration", "release_11") with { Announce = "again" },
            await App("frontend"), [], failing, CancellationToken.None);
        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        var warning = Assert.Single(failing.Warnings);
        Assert.Contains("Announce the deploy by hand", warning);
        Assert.DoesNotContain("secret-part", warning);
    }

    private static async Task<string> AcceptOneAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[8192];
        var text = new StringBuilder();
        while (!text.ToString().Contains("}"))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"));
        return text.ToString();
    }

    [Fact]
    public async Task ManyDeploysRunThrottledAndOneFailureDoesNotStopTheOthers()
    {
        await _h.AddAppAsync("collections");
        await _h.AddAppAsync("search-api");
        var service = _h.Service();
        var requests = new[] { "frontend", "collections", "search-api", "contacts-admin" }.Select(app => _h.Gate(DeployHarness.Request(app, "integration", app switch
        {
            "frontend" => "release_12",
            "contacts-admin" => "release_8",
            _ => "release_3",
        }))).ToList();
        // One release the gate believes in but Jenkins cannot find: its build fails.
        requests[1] = requests[1] with { Deploy = requests[1].Deploy with { Release = "release_99" }, RefExists = (_, _, _) => Task.FromResult(true) };

        var results = new List<BulkResult<Deploys.Gates.GateRequest, Deployment>>();
        var reporter = new RecordingReporter();
        await foreach (var result in service.DeployManyAsync(requests, 2, reporter, CancellationToken.None))
        {
            results.Add(result);
        }

        Assert.Equal(4, results.Count);
        var failed = Assert.Single(results, r => !r.Succeeded);
        Assert.Equal("collections", failed.Item.Deploy.Application);
        Assert.Equal("DeployFailed", Assert.IsType<GovukDeployException>(failed.Error).ErrorId);
        Assert.All(results.Where(r => r.Succeeded), r => Assert.Equal(DeploymentStatus.Succeeded, r.Result!.Status));
        // Interleaved consoles say which deploy each line belongs to.
        Assert.Contains("[search-api integration] Deploying search-api release_3 to integration (task: deploy)", reporter.Lines);
        Assert.Contains(reporter.Lines, l => l.StartsWith("[collections integration] ") && l.Contains("couldn't find remote ref release_99"));
    }

    [Fact]
    public async Task TheBulkRunnerNeverRunsMoreThanTheThrottleLimitAndYieldsAsEachFinishes()
    {
        var running = 0;
        var most = 0;
        var order = new List<int>();
        await foreach (var result in BulkDeployer.RunAsync(Enumerable.Range(0, 6), 2, async (i, token) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(i == 0 ? 400 : 50, token);
            Interlocked.Decrement(ref running);
            return i;
        }))
        {
            order.Add(result.Result);
        }

        Assert.Equal(2, most);
        Assert.Equal(6, order.Count);
        // The slow first item is not waited for: others come out before it.
        Assert.NotEqual(0, order[0]);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

/// <summary>The deploy engine wired from the configuration alone, as the cmdlets will wire it.</summary>
public sealed class DeployConfigurationWiringTests
{
    [Fact]
    public async Task ADeployRunsWithEverythingTakenFromTheConfiguration()
    {
        await using var h = await DeployHarness.StartAsync();
        var variables = new Dictionary<string, string>
        {
            ["GOVUK_DEPLOY_JENKINS_URL"] = h.JenkinsTemplate,
            ["JENKINS_USER"] = h.Server.Credentials.JenkinsUser,
            ["JENKINS_API_TOKEN"] = h.Server.Credentials.JenkinsApiToken,
            ["GOVUK_DEPLOY_RELEASE_APP_URL"] = h.Server.BaseUrl + "release/",
            ["RELEASE_APP_BEARER_TOKEN"] = h.Server.Credentials.ReleaseAppToken,
        };
        var configuration = new DeployConfiguration(name => variables.GetValueOrDefault(name), () => Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "config.json"));
        var service = DeployService.FromConfiguration(configuration, h.Store, h.Windows, h.Clock, DeployHarness.FastPolling);

        var deployment = await service.DeployAsync(h.Gate(DeployHarness.Request("frontend", "integration")), new RecordingReporter(), CancellationToken.None);

        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        var recorded = await h.GetJsonAsync("_sandbox/release/deployments?repo=alphagov/frontend&environment=integration");
        Assert.Contains(recorded.EnumerateArray(), d => d.GetProperty("source").GetString() == "api" && d.GetProperty("version").GetString() == "release_12");
    }
}
