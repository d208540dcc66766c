using System.Diagnostics;
using GovukDeploy.Configuration;
using GovukDeploy.Deploys;
using GovukDeploy.Health;
using GovukDeploy.Session;
using NodaTime;

namespace GovukDeploy.Tests.Health;

/// <summary>Invoke-Deploy's staying around (-Verify), typed errors after a deploy, and where Test-DeployHealth checks from.</summary>
public sealed class VerifyTests : IAsyncLifetime
{
    private DeployHarness _h = null!;

    public async Task InitializeAsync() => _h = await DeployHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>The engine as a session has it, on the harness's store and sandbox; checks every second.</summary>
    private EngineServices Engine(Dictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["GOVUK_DEPLOY_STORE"] = "sqlite:" + _h.StorePath,
            ["GOVUK_DEPLOY_JENKINS_URL"] = _h.JenkinsTemplate,
            ["JENKINS_USER"] = _h.Server.Credentials.JenkinsUser,
            ["JENKINS_API_TOKEN"] = _h.Server.Credentials.JenkinsApiToken,
            ["GOVUK_DEPLOY_SENTRY_URL"] = _h.Server.BaseUrl + "sentry/",
            ["SENTRY_AUTH_TOKEN"] = _h.Server.Credentials.SentryToken,
            ["GOVUK_DEPLOY_ICINGA_URL"] = _h.Server.BaseUrl + "icinga/{environment}/",
            ["ICINGA_USER"] = _h.Server.Credentials.IcingaUser,
            ["ICINGA_PASSWORD"] = _h.Server.Credentials.IcingaPassword,
            ["GOVUK_DEPLOY_VERIFY_INTERVAL"] = "1",
            ["GOVUK_DEPLOY_GITHUB_API_URL"] = _h.Server.BaseUrl + "api/v3/",
            ["GITHUB_TOKEN"] = _h.Server.Credentials.GitHubToken,
            // A rollback checks deploy hours like any deploy (it passes them): keep the real clock out of it.
            ["GOVUK_DEPLOY_WINDOW_POLICIES"] = "{\"staging\": {\"AlwaysOpen\": true}, \"production\": {\"AlwaysOpen\": true}}",
        };
        foreach (var (name, value) in extra ?? [])
        {
            settings[name] = value;
        }

        var folder = Path.GetDirectoryName(_h.StorePath)!;
        return new EngineServices(new DeployConfiguration(name => settings.GetValueOrDefault(name), () => Path.Combine(folder, "config.json")), SystemClock.Instance);
    }

    private async Task<Deployment> DeployAsync(string application, string release, bool smokeTest = false)
    {
        var request = DeployHarness.Request(application, "integration", release) with { SmokeTest = smokeTest };
        return await _h.Service().DeployAsync(_h.Gate(request), new RecordingReporter(), CancellationToken.None);
    }

    private async Task ScriptAsync(string application, string effect)
    {
        using var response = await _h.Http.PostAsync("_sandbox/after-deploy", new StringContent(
            $"{{\"application\": \"{application}\", \"environment\": \"integration\", \"effect\": \"{effect}\"}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task VerifyStopsAtTheFirstUnhealthyVerdictWithDeployUnhealthyNamingWhatFailed()
    {
        await ScriptAsync("frontend", "new-error");
        var deployment = await DeployAsync("frontend", "release_12");
        var reporter = new RecordingReporter();
        var watch = Stopwatch.StartNew();

        var outcome = await Engine().AfterDeployAsync(deployment, new AfterDeployOptions(Verify: true, VerifyFor: TimeSpan.FromMinutes(5)), reporter, CancellationToken.None);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal(HealthVerdict.Unhealthy, outcome.Deployment.Health!.Verdict);
        var problem = Assert.Single(outcome.Problems);
        Assert.Equal("DeployUnhealthy", problem.ErrorId);
        Assert.Contains("Sentry", problem.Message);
        Assert.Contains("FRONTEND-", problem.Message);
        Assert.Contains("Undo-Deployment -Application frontend -Environment integration", problem.Message);
        Assert.Contains(reporter.ProgressUpdates, p => p.Completed && p.Activity.StartsWith("Verifying frontend", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyKeepsCheckingForTheTimeGivenAndReturnsTheLastHealth()
    {
        var deployment = await DeployAsync("whitehall", "release_120");
        var reporter = new RecordingReporter();
        var watch = Stopwatch.StartNew();

        var outcome = await Engine().AfterDeployAsync(deployment, new AfterDeployOptions(Verify: true, VerifyFor: TimeSpan.FromSeconds(2.5)), reporter, CancellationToken.None);

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(2.4), TimeSpan.FromSeconds(15));
        Assert.Empty(outcome.Problems);
        Assert.Equal(HealthVerdict.Healthy, outcome.Deployment.Health!.Verdict);
        Assert.True(reporter.VerboseLines.Count(l => l.StartsWith("Health check", StringComparison.Ordinal)) >= 3);
        Assert.Contains(reporter.ProgressUpdates, p => p.PercentComplete is > 0 and < 100);
    }

    [Fact]
    public async Task AnAlertDuringTheVerificationStopsItEarly()
    {
        var deployment = await DeployAsync("whitehall", "release_120");
        var engine = Engine();
        var verifying = engine.AfterDeployAsync(deployment, new AfterDeployOptions(Verify: true, VerifyFor: TimeSpan.FromMinutes(5)), new RecordingReporter(), CancellationToken.None);
        await Task.Delay(1500);
        _h.Server.Aftermath.ApplyNow("whitehall", "integration", "critical-alert", "whitehall 5xx rate", deployment.StartedAt, DateTimeOffset.UtcNow);

        var outcome = await verifying.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HealthVerdict.Unhealthy, outcome.Deployment.Health!.Verdict);
        Assert.Contains("whitehall 5xx rate", Assert.Single(outcome.Problems).Message);
    }

    [Fact]
    public async Task RollbackOnUnhealthyRollsBackWithTheHealthFailureAsTheAuditedReason()
    {
        await ScriptAsync("whitehall", "new-error");
        var deployment = await DeployAsync("whitehall", "release_119");

        var outcome = await Engine().AfterDeployAsync(deployment,
            new AfterDeployOptions(Verify: true, VerifyFor: TimeSpan.FromMinutes(5), RollbackOnUnhealthy: true, Actor: "tester"), new RecordingReporter(), CancellationToken.None);

        var rollback = outcome.Rollback!;
        Assert.True(rollback.IsRollback);
        Assert.Equal("release_120", rollback.Release);
        Assert.Equal(DeploymentStatus.Succeeded, rollback.Status);
        var unhealthy = Assert.Single(outcome.Problems);
        Assert.Equal("DeployUnhealthy", unhealthy.ErrorId);
        Assert.Contains($"rolled back: deploy #{rollback.Id} put release_120 back", unhealthy.Message);
        var audited = Assert.Single(await _h.Store.GetAuditEventsAsync(new GovukDeploy.Store.AuditQuery { Applications = ["whitehall"], Kinds = [GovukDeploy.Store.AuditKinds.RollbackStarted] }));
        Assert.Contains("Unhealthy after deploy #" + deployment.Id, audited.Detail);
        Assert.Contains("Sentry", audited.Detail);
    }

    [Fact]
    public async Task AnAnnouncedDeployHasItsVerdictAnnouncedInSlackWithTheTextEscaped()
    {
        var port = FreePort();
        using var slack = new System.Net.HttpListener();
        var received = FirstSlackMessage(slack, port);
        var deployment = await DeployAsync("frontend", "release_12");
        _h.Server.Aftermath.ApplyNow("frontend", "integration", "new-error", "Boom <!channel> & more", deployment.StartedAt, DateTimeOffset.UtcNow);
        var engine = Engine(new() { ["SLACK_WEBHOOK_URL"] = $"http://127.0.0.1:{port}/hook/" });

        await engine.AfterDeployAsync(deployment, new AfterDeployOptions(Verify: true, VerifyFor: TimeSpan.FromSeconds(1), Announce: "Shipping the new footer"), new RecordingReporter(), CancellationToken.None);

        using var json = System.Text.Json.JsonDocument.Parse(await received.WaitAsync(TimeSpan.FromSeconds(10)));
        var text = json.RootElement.GetProperty("text").GetString()!;
        Assert.Contains("frontend release_12 to integration: Unhealthy", text);
        // What Sentry says is data: escaped for Slack, so it can neither ping a channel nor make a link.
        Assert.Contains("Boom &lt;!channel&gt; &amp; more", text);
        Assert.DoesNotContain("<!channel>", text);
    }

    [Fact]
    public async Task AConfidentialDeployHasOnlyItsVerdictAnnouncedNeverWhatSentrySays()
    {
        var port = FreePort();
        using var slack = new System.Net.HttpListener();
        var received = FirstSlackMessage(slack, port);
        var deployed = await DeployAsync("frontend", "release_12");
        var deployment = new Deployment
        {
            Id = deployed.Id, Application = deployed.Application, Environment = deployed.Environment, Release = deployed.Release, Sha = deployed.Sha,
            Status = deployed.Status, BuildUrl = deployed.BuildUrl, StartedAt = deployed.StartedAt, FinishedAt = deployed.FinishedAt,
            DeployedBy = deployed.DeployedBy, Confidential = true,
        };
        _h.Server.Aftermath.ApplyNow("frontend", "integration", "new-error", "SQL injection in the search box", deployment.StartedAt, DateTimeOffset.UtcNow);
        var engine = Engine(new() { ["SLACK_WEBHOOK_URL"] = $"http://127.0.0.1:{port}/hook/" });

        await engine.AfterDeployAsync(deployment, new AfterDeployOptions(Verify: true, VerifyFor: TimeSpan.FromSeconds(1), Announce: "Shipping the fix"), new RecordingReporter(), CancellationToken.None);

        using var json = System.Text.Json.JsonDocument.Parse(await received.WaitAsync(TimeSpan.FromSeconds(10)));
        var text = json.RootElement.GetProperty("text").GetString()!;
        Assert.Contains("A confidential change to frontend (release_12) in integration: Unhealthy", text);
        Assert.DoesNotContain("SQL injection", text);
        Assert.DoesNotContain("Sentry", text);
    }

    /// <summary>A Slack webhook on 127.0.0.1 that answers ok and hands back the body of the first message it gets.</summary>
    private static Task<string> FirstSlackMessage(System.Net.HttpListener slack, int port)
    {
        slack.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        slack.Start();
        return Task.Run(async () =>
        {
            var context = await slack.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            context.Response.StatusCode = 200;
            context.Response.Close();
            return body;
        });
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task AFailedSmokeTestAfterASuccessfulDeployIsATypedError()
    {
        await ScriptAsync("contacts-admin", "smoke-failure");
        var deployment = await DeployAsync("contacts-admin", "release_8", smokeTest: true);
        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        Assert.Equal(SmokeTestResult.FailedResult, deployment.SmokeTest);

        var outcome = await Engine().AfterDeployAsync(deployment, new AfterDeployOptions(Verify: false), new RecordingReporter(), CancellationToken.None);

        Assert.Equal("SmokeTestFailed", Assert.Single(outcome.Problems).ErrorId);
        var health = await Engine().Health.CheckAsync(new HealthTarget(DeployHarness_App("contacts-admin"), "integration", deployment.StartedAt, deployment), CancellationToken.None);
        Assert.Equal(HealthOutcome.Failed, health.Check(HealthCheckNames.SmokeTest)!.Outcome);
    }

    [Fact]
    public async Task VerifyWithNothingToCheckEndsUnknownNeverHealthy()
    {
        var deployment = await DeployAsync("frontend", "release_11");
        var engine = Engine(new() { ["GOVUK_DEPLOY_SENTRY_URL"] = "", ["GOVUK_DEPLOY_ICINGA_URL"] = "" });

        var outcome = await engine.AfterDeployAsync(deployment, new AfterDeployOptions(Verify: true, VerifyFor: TimeSpan.FromSeconds(1)), new RecordingReporter(), CancellationToken.None);

        Assert.Equal(HealthVerdict.Unknown, outcome.Deployment.Health!.Verdict);
        Assert.Equal("DeployHealthUnknown", Assert.Single(outcome.Problems).ErrorId);
    }

    [Fact]
    public async Task WithoutSinceHealthIsCheckedFromTheNewestDeployAndItsSmokeTest()
    {
        var first = await DeployAsync("frontend", "release_11");
        var second = await DeployAsync("frontend", "release_12", smokeTest: true);
        var store = _h.Store;

        var target = await HealthTarget.ResolveAsync(store, DeployHarness_App("frontend"), "integration", null, null, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(second.Id, target.Deployment!.Id);
        Assert.Equal(second.StartedAt, target.Since);

        var byId = await HealthTarget.ResolveAsync(store, DeployHarness_App("frontend"), "integration", null, first.Id, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(first.StartedAt, byId.Since);

        var mismatch = await Assert.ThrowsAsync<Errors.GovukDeployException>(() =>
            HealthTarget.ResolveAsync(store, DeployHarness_App("whitehall"), "integration", null, first.Id, DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.Equal("DeploymentMismatch", mismatch.ErrorId);

        var none = await Assert.ThrowsAsync<Errors.GovukDeployException>(() =>
            HealthTarget.ResolveAsync(store, DeployHarness_App("whitehall"), "production", null, null, DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.Equal("NoDeployToCheck", none.ErrorId);

        var future = await Assert.ThrowsAsync<Errors.GovukDeployException>(() =>
            HealthTarget.ResolveAsync(store, DeployHarness_App("whitehall"), "production", DateTimeOffset.UtcNow.AddHours(1), null, DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.Equal("SinceInFuture", future.ErrorId);
    }

    [Fact]
    public async Task ManyApplicationsAreCheckedEachAsItIsReadyAndAnUnknownOneIsAnErrorForItAlone()
    {
        await DeployAsync("frontend", "release_12");
        await DeployAsync("whitehall", "release_120");
        var engine = Engine();
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        HealthRequest[] requests =
        [
            new("frontend", "integration"),
            new("whitehall", "Integration"),
            new("no-such-app", "integration"),
            new("contacts-admin", "staging", Since: since),
        ];

        var results = new List<Deploys.BulkResult<HealthRequest, DeployHealth>>();
        await foreach (var result in engine.DeployHealthAsync(requests, 6, new RecordingReporter(), null, CancellationToken.None))
        {
            results.Add(result);
        }

        Assert.Equal(4, results.Count);
        Assert.Equal("ApplicationNotFound", Assert.IsType<Errors.GovukDeployException>(results.Single(r => r.Item.Application == "no-such-app").Error).ErrorId);
        Assert.All(results.Where(r => r.Item.Application != "no-such-app"), r => Assert.Equal(HealthVerdict.Healthy, r.Result!.Verdict));
        Assert.Equal(since, results.Single(r => r.Item.Application == "contacts-admin").Result!.Since);
        Assert.Equal("integration", results.Single(r => r.Item.Application == "whitehall").Result!.Environment);
    }

    private static Application DeployHarness_App(string name) => HealthTestSupport.App(name, name == "contacts-admin" ? "contacts" : null);
}
