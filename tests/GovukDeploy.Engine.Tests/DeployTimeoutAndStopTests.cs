using GovukDeploy.Deploys;
using GovukDeploy.Errors;
using GovukDeploy.Jenkins;
using GovukDeploy.Observed;
using GovukDeploy.Store;
using NodaTime;

namespace GovukDeploy.Tests;

/// <summary>
/// Deploys that take too long: a time limit that ends the wait and leaves the deploy running and
/// InProgress, a queued deploy resumed from a new session, and Stop-Deployment's engine stopping a
/// running build or cancelling a queue item, against the sandbox's Jenkins (its deploy-hang fault).
/// </summary>
public sealed class DeployTimeoutAndStopTests : IAsyncLifetime
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1.5);

    private DeployHarness _h = null!;

    public async Task InitializeAsync() => _h = await DeployHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<JsonBuild> BuildAsync(DeployHarness h, string buildUrl)
    {
        var json = await h.GetJsonAsync(new Uri(buildUrl).AbsolutePath.TrimStart('/') + "api/json");
        return new JsonBuild(json.GetProperty("building").GetBoolean(), json.GetProperty("result").ValueKind == System.Text.Json.JsonValueKind.String ? json.GetProperty("result").GetString() : null);
    }

    private sealed record JsonBuild(bool Building, string? Result);

    [Fact]
    public async Task AHungBuildEndsTheWaitWithDeployTimeoutAndStaysInProgressUntilStopped()
    {
        await _h.FaultAsync("jenkins", "deploy-hang", environment: "integration");
        var service = _h.Service();

        var timedOut = await Assert.ThrowsAsync<GovukDeployException>(() =>
            service.DeployAsync(_h.Gate(DeployHarness.Request("frontend", "integration") with { Timeout = Short }), new RecordingReporter(), CancellationToken.None));

        Assert.Equal("DeployTimeout", timedOut.ErrorId);
        Assert.Equal(ErrorKind.OperationTimeout, timedOut.Kind);
        var deployment = Assert.IsType<Deployment>(timedOut.Target);
        Assert.Equal(DeploymentStatus.InProgress, deployment.Status);
        Assert.NotNull(deployment.BuildUrl);
        Assert.Contains(deployment.BuildUrl!, timedOut.Message);
        Assert.Contains($"Wait-Deployment -Id {deployment.Id}", timedOut.Message);
        Assert.Contains($"Stop-Deployment -Id {deployment.Id}", timedOut.Message);
        Assert.Equal(DeploymentStatus.InProgress, (await _h.Store.GetDeploymentAsync(deployment.Id))!.Status);
        // The deploy itself was left alone: Jenkins still runs it.
        Assert.True((await BuildAsync(_h, deployment.BuildUrl!)).Building);

        // Wait-Deployment's limit ends its wait the same way.
        var waited = await Assert.ThrowsAsync<GovukDeployException>(() =>
            service.Runner.WaitAsync(deployment, new RecordingReporter(), CancellationToken.None, timeout: TimeSpan.FromSeconds(0.5)));
        Assert.Equal("DeployTimeout", waited.ErrorId);
        Assert.Equal(DeploymentStatus.InProgress, (await _h.Store.GetDeploymentAsync(deployment.Id))!.Status);

        var reporter = new RecordingReporter();
        var stopped = await service.Runner.StopAsync(deployment, "oncall", "hung on a migration", force: false, reporter, CancellationToken.None);

        Assert.Equal(DeploymentStatus.Aborted, stopped.Status);
        Assert.NotNull(stopped.FinishedAt);
        Assert.Equal(DeploymentStatus.Aborted, (await _h.Store.GetDeploymentAsync(deployment.Id))!.Status);
        Assert.Equal(new JsonBuild(false, "ABORTED"), await BuildAsync(_h, deployment.BuildUrl!));
        Assert.Contains(reporter.ProgressUpdates, p => p.Activity.StartsWith($"Stopping deploy #{deployment.Id}"));
        var audit = (await _h.Store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.DeployFinished] })).Single();
        Assert.Equal("oncall", audit.Actor);
        Assert.Contains("stopped with Stop-Deployment", audit.Detail);
        Assert.Contains("hung on a migration", audit.Detail);
        // The stopped deploy no longer holds the environment.
        Assert.Empty(await _h.Store.GetDeploymentsAsync(new DeploymentQuery { InProgressOnly = true }));
    }

    [Fact]
    public async Task StoppingADeployThatHasEndedIsAClearError()
    {
        var done = await _h.RecordAsync("frontend", "integration", "release_12", DeploymentStatus.Succeeded);

        var error = await Assert.ThrowsAsync<GovukDeployException>(() =>
            _h.Runner().StopAsync(done, "oncall", null, force: false, new RecordingReporter(), CancellationToken.None));

        Assert.Equal("DeploymentAlreadyEnded", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidOperation, error.Kind);
        Assert.Contains("Succeeded", error.Message);
        Assert.Contains("Undo-Deployment", error.Message);
        Assert.Equal(DeploymentStatus.Succeeded, (await _h.Store.GetDeploymentAsync(done.Id))!.Status);
    }

    [Fact]
    public async Task ADeployObservedInJenkinsIsStoppedAndRecordedThroughItsObservedRecord()
    {
        await _h.FaultAsync("jenkins", "deploy-hang", environment: "staging");
        var jenkins = _h.Jenkins();
        var client = jenkins.For("staging");
        // Someone started it from Jenkins' own page; GovukDeploy only sees it in the history.
        var queued = await client.TriggerAsync("Deploy_App", new Dictionary<string, string> { ["TARGET_APPLICATION"] = "frontend", ["DEPLOY_TASK"] = "deploy", ["TAG"] = "release_11" }, CancellationToken.None);
        var build = await client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None);
        await new DeploymentObserver(_h.Store, jenkins, SystemClock.Instance, new ObserverSettings()).SyncAsync([(await _h.Store.GetApplicationAsync("frontend"))!], null, CancellationToken.None);
        var observed = Assert.Single(await _h.Store.GetDeploymentsAsync(new DeploymentQuery { InProgressOnly = true }));
        Assert.Equal((DeploymentSource.Jenkins, build.Url), (observed.Source, observed.BuildUrl));

        var stopped = await _h.Runner(jenkins).StopAsync(observed, "oncall", null, force: false, new RecordingReporter(), CancellationToken.None);

        Assert.Equal((observed.Id, DeploymentStatus.Aborted, DeploymentSource.Jenkins), (stopped.Id, stopped.Status, stopped.Source));
        Assert.Equal("ABORTED", (await BuildAsync(_h, build.Url)).Result);
    }

    [Fact]
    public async Task AFinishedBuildWhoseQueueItemJenkinsForgotIsFoundByItsQueueId()
    {
        // Seeded builds have queue ids but no queue items left, as on a Jenkins that forgot them.
        var jenkins = _h.Jenkins();
        var newest = (await _h.GetJsonAsync("jenkins/production/job/Deploy_App/api/json?tree=builds[url,queueId,result]")).GetProperty("builds")[0];
        var queueId = newest.GetProperty("queueId").GetInt64();
        var id = await _h.Store.StartDeploymentAsync(new DeploymentStart
        {
            Application = "frontend", Environment = "production", Release = "release_10", DeployedBy = "tester",
            QueueUrl = $"{_h.Server.BaseUrl}jenkins/production/queue/item/{queueId}/",
        });

        var finished = await _h.Runner(jenkins).WaitAsync((await _h.Store.GetDeploymentAsync(id))!, new RecordingReporter(), CancellationToken.None);

        Assert.Equal(newest.GetProperty("url").GetString(), finished.BuildUrl);
        Assert.Equal(DeploymentStatus.Succeeded, finished.Status);
    }

    [Fact]
    public async Task AQueueItemNobodyKnowsIsRefusedUntilForcedOutOfProgress()
    {
        var id = await _h.Store.StartDeploymentAsync(new DeploymentStart
        {
            Application = "frontend", Environment = "staging", Release = "release_11", DeployedBy = "tester",
            QueueUrl = $"{_h.Server.BaseUrl}jenkins/staging/queue/item/987654321/",
        });
        var lost = (await _h.Store.GetDeploymentAsync(id))!;
        var runner = _h.Runner();

        var waiting = await Assert.ThrowsAsync<GovukDeployException>(() => runner.WaitAsync(lost, new RecordingReporter(), CancellationToken.None));
        Assert.Equal("DeployQueueItemLost", waiting.ErrorId);
        Assert.Contains($"Stop-Deployment -Id {id} -Force", waiting.Message);
        var stopping = await Assert.ThrowsAsync<GovukDeployException>(() => runner.StopAsync(lost, "oncall", null, force: false, new RecordingReporter(), CancellationToken.None));
        Assert.Equal("DeployQueueItemLost", stopping.ErrorId);
        Assert.Equal(DeploymentStatus.InProgress, (await _h.Store.GetDeploymentAsync(id))!.Status);

        var forced = await runner.StopAsync(lost, "oncall", "never ran", force: true, new RecordingReporter(), CancellationToken.None);
        Assert.Equal(DeploymentStatus.Aborted, forced.Status);
        Assert.Contains("-Force", (await _h.Store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.DeployFinished] })).Single().Detail);
    }
}

/// <summary>Deploys that wait in a long Jenkins queue: recorded at once, resumed or stopped from the queue.</summary>
public sealed class QueuedDeployTests : IAsyncLifetime
{
    private DeployHarness _h = null!;

    // Long enough that the tests act while the deploy is still queued.
    public async Task InitializeAsync() => _h = await DeployHarness.StartAsync(o => o.QueueSeconds = 3);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<Deployment> TimeOutInTheQueueAsync()
    {
        var timedOut = await Assert.ThrowsAsync<GovukDeployException>(() =>
            _h.Service().DeployAsync(_h.Gate(DeployHarness.Request("frontend", "integration") with { Timeout = TimeSpan.FromSeconds(0.4) }), new RecordingReporter(), CancellationToken.None));
        Assert.Equal("DeployTimeout", timedOut.ErrorId);
        Assert.Contains("still in Jenkins' queue", timedOut.Message);
        var queued = Assert.IsType<Deployment>(timedOut.Target);
        Assert.Equal((DeploymentStatus.InProgress, (string?)null), (queued.Status, queued.BuildUrl));
        Assert.Contains("/jenkins/integration/queue/item/", queued.QueueUrl);
        return queued;
    }

    [Fact]
    public async Task AQueuedDeployIsRecordedAtOnceAndANewSessionFollowsItToItsBuild()
    {
        var queued = await TimeOutInTheQueueAsync();

        // A new session: its own store handle and Jenkins clients, with only the stored record to go on.
        await using var store = DeployStoreFactory.Open("sqlite:" + _h.StorePath);
        var record = Assert.Single(await store.GetDeploymentsAsync(new DeploymentQuery { InProgressOnly = true }));
        Assert.Equal(queued.QueueUrl, record.QueueUrl);
        var reporter = new RecordingReporter();
        var finished = await _h.Runner(_h.Jenkins(), store: store).WaitAsync(record, reporter, CancellationToken.None);

        Assert.Equal((queued.Id, DeploymentStatus.Succeeded), (finished.Id, finished.Status));
        Assert.Contains("/jenkins/integration/job/Deploy_App/", finished.BuildUrl);
        Assert.Equal(queued.QueueUrl, finished.QueueUrl);
        Assert.Contains(reporter.ProgressUpdates, p => p.Status.StartsWith("In Jenkins' queue"));
        Assert.Contains("Finished: SUCCESS", reporter.Lines);
    }

    [Fact]
    public async Task AQueuedDeployWhoseQueueItemWasCancelledIsFollowedToAborted()
    {
        var queued = await TimeOutInTheQueueAsync();
        var client = _h.Jenkins().For("integration");
        Assert.True(await client.CancelQueueItemAsync(client.QueuedBuildFrom(queued.QueueUrl!).QueueId!.Value, CancellationToken.None));

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => _h.Runner().WaitAsync(queued, new RecordingReporter(), CancellationToken.None));

        Assert.Equal("DeployQueueCancelled", error.ErrorId);
        var aborted = (await _h.Store.GetDeploymentAsync(queued.Id))!;
        Assert.Equal((DeploymentStatus.Aborted, (string?)null), (aborted.Status, aborted.BuildUrl));
    }

    [Fact]
    public async Task StoppingAQueuedDeployCancelsItsQueueItemAndRecordsAborted()
    {
        var queued = await TimeOutInTheQueueAsync();
        var reporter = new RecordingReporter();

        var stopped = await _h.Runner().StopAsync(queued, "oncall", null, force: false, reporter, CancellationToken.None);

        Assert.Equal((DeploymentStatus.Aborted, (string?)null), (stopped.Status, stopped.BuildUrl));
        Assert.Contains(reporter.Warnings, w => w.Contains("nothing was deployed"));
        var item = await _h.GetJsonAsync(new Uri(queued.QueueUrl!).AbsolutePath.TrimStart('/') + "api/json");
        Assert.True(item.GetProperty("cancelled").GetBoolean());
        Assert.Contains("queue item was cancelled", (await _h.Store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.DeployFinished] })).Single().Detail);
    }
}
