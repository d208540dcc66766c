using GovukDeploy.Confidential;
using GovukDeploy.Errors;
using GovukDeploy.Jenkins;
using GovukDeploy.Reporting;
using GovukDeploy.Store;

namespace GovukDeploy.Deploys;

/// <summary>
/// Runs Deploy_App for one deploy and follows it: triggers the build, waits in the queue, records the
/// deploy as InProgress once the build has started, streams the console, records the outcome, tells
/// the Release app, and runs the smoke tests when asked. Cancelled in the queue, it cancels the queue
/// item; cancelled once the build runs, it only stops watching (the deploy goes on and stays
/// InProgress in the store until <see cref="WaitAsync"/> follows it to its end).
/// </summary>
public sealed class DeployRunner
{
    private static int _nextActivityId = 7000;

    private readonly IDeployStore _store;
    private readonly JenkinsClientFactory _jenkins;
    private readonly DeploySettings _settings;
    private readonly IDeployRecorder? _releaseApp;
    private readonly SlackAnnouncer? _slack;

    public DeployRunner(IDeployStore store, JenkinsClientFactory jenkins, DeploySettings settings,
        IDeployRecorder? releaseApp = null, SlackAnnouncer? slack = null)
    {
        _store = store;
        _jenkins = jenkins;
        _settings = settings;
        _releaseApp = releaseApp;
        _slack = slack;
    }

    /// <summary>
    /// Deploys (the gates have passed). Returns the finished deployment (or, with NoWait, the one in
    /// progress); throws DeployFailed / DeployAborted after recording such an outcome.
    /// </summary>
    public async Task<Deployment> RunAsync(DeployRequest request, Application application, IReadOnlyList<GateVerdict> gates, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var activity = new Activity(reporter, $"Deploying {application.Name} {request.Ref} to {request.Environment}");
        // Confidential: others are told the release tag or commit only, never the branch (Jenkins alone needs its name).
        var confidential = request.Confidential || application.Confidential;
        var recorded = confidential ? ConfidentialRedaction.RecordedRelease(request) : request.Ref;
        var announce = !string.IsNullOrWhiteSpace(request.Announce);
        if (announce && confidential)
        {
            // Announced once it has succeeded, and then only that it happened: never the fix before it is in place.
            reporter.Verbose("Confidential: Slack is told only that a confidential change was deployed, once it has succeeded; the -Announce text is not posted.");
        }
        else if (announce)
        {
            await AnnounceAsync(request, application, reporter, cancellationToken);
        }

        var client = _jenkins.For(request.Environment);
        var parameters = new Dictionary<string, string>
        {
            ["TARGET_APPLICATION"] = application.DeployName,
            ["DEPLOY_TASK"] = string.IsNullOrWhiteSpace(request.DeployTask) ? "deploy" : request.DeployTask,
            ["TAG"] = request.Ref,
        };
        activity.Report($"Starting {_settings.DeployJobName} on the {request.Environment} Jenkins");
        JenkinsQueuedBuild queued;
        try
        {
            queued = await client.TriggerAsync(_settings.DeployJobName, parameters, cancellationToken);
        }
        catch
        {
            activity.Complete();
            throw;
        }

        reporter.Verbose(queued.Recovered
            ? $"The trigger's answer was lost; found the build it started ({queued.BuildUrl ?? queued.QueueUrl})."
            : $"Queued in Jenkins: {queued.QueueUrl}");

        var build = await WaitForStartAsync(client, queued, _settings.DeployJobName, activity, reporter, cancellationToken,
            onStartedDespiteCancel: async started =>
            {
                var id = await RecordStartAsync(request, application, gates, started, confidential, recorded);
                reporter.Warning(StoppedWatching(id, application.Name, request.Environment, started.Url));
            });

        var deploymentId = await RecordStartAsync(request, application, gates, build, confidential, recorded);
        reporter.Information($"Deploy #{deploymentId}: {_settings.DeployJobName} build {build.Url}");
        if (request.NoWait)
        {
            activity.Complete();
            if (announce && confidential)
            {
                reporter.Warning($"-NoWait: the confidential announcement is sent only once a deploy is seen to succeed. When Get-Deployment shows #{deploymentId} succeeded, " +
                    $"say in Slack only that a confidential change to {application.Name} was deployed to {request.Environment}.");
            }

            return (await _store.GetDeploymentAsync(deploymentId, CancellationToken.None))!;
        }

        var deployment = await FollowAsync(deploymentId, application, request.Environment, recorded, build.Url, request.SmokeTest, request.Actor, activity, reporter, cancellationToken);
        if (announce && confidential)
        {
            await AnnounceTextAsync(ConfidentialRedaction.SlackAnnouncement(application, request.Environment, recorded, request.IsBranchDeploy), reporter, cancellationToken);
        }

        return deployment;
    }

    /// <summary>
    /// Follows a deploy left InProgress (started with NoWait, or by a session that stopped watching or
    /// crashed) from its build URL to its end, and records the outcome. A finished deployment is returned as it is.
    /// </summary>
    public async Task<Deployment> WaitAsync(Deployment deployment, IOperationReporter reporter, CancellationToken cancellationToken, bool smokeTest = false, string? actor = null)
    {
        if (deployment.Status != DeploymentStatus.InProgress)
        {
            return deployment;
        }

        if (string.IsNullOrEmpty(deployment.BuildUrl))
        {
            throw DeployErrors.NotResumable(deployment);
        }

        var application = await _store.GetApplicationAsync(deployment.Application, cancellationToken)
            ?? new Application { Name = deployment.Application, Repository = deployment.Application, DeployName = deployment.Application };
        var activity = new Activity(reporter, $"Deploying {deployment.Application} {deployment.Release} to {deployment.Environment}");
        return await FollowAsync(deployment.Id, application, deployment.Environment, deployment.Release, deployment.BuildUrl, smokeTest,
            actor ?? deployment.DeployedBy, activity, reporter, cancellationToken);
    }

    /// <summary>Runs the Smokey job for the app and environment and reports Passed or Failed.</summary>
    public async Task<SmokeTestResult> SmokeTestAsync(Application application, string environment, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var activity = new Activity(reporter, $"Smoke testing {application.Name} in {environment}");
        var client = _jenkins.For(environment);
        var parameters = new Dictionary<string, string> { ["TARGET_APPLICATION"] = application.DeployName };
        activity.Report($"Starting {_settings.SmokeTestJobName}");
        var queued = await client.TriggerAsync(_settings.SmokeTestJobName, parameters, cancellationToken);
        var build = await WaitForStartAsync(client, queued, _settings.SmokeTestJobName, activity, reporter, cancellationToken,
            onStartedDespiteCancel: started =>
            {
                reporter.Warning($"Stopped watching the smoke tests; they go on in Jenkins: {started.Url}");
                return Task.CompletedTask;
            });
        reporter.Information($"{_settings.SmokeTestJobName} build {build.Url}");
        JenkinsBuildInfo finished;
        try
        {
            finished = await client.WatchAsync(build.Url, reporter.Information, b => activity.Report(b), cancellationToken);
        }
        finally
        {
            activity.Complete();
        }

        var result = finished.Result == "SUCCESS" ? SmokeTestResult.PassedResult : SmokeTestResult.FailedResult;
        if (result == SmokeTestResult.FailedResult)
        {
            reporter.Warning($"The smoke tests for {application.Name} in {environment} failed ({finished.Result}); see {finished.Url}. Check the app and consider rolling back.");
        }

        return new SmokeTestResult
        {
            Application = application.Name,
            Environment = environment,
            Result = result,
            BuildUrl = finished.Url,
            StartedAt = finished.Started,
            Duration = finished.Duration,
        };
    }

    private async Task<JenkinsBuildInfo> WaitForStartAsync(JenkinsClient client, JenkinsQueuedBuild queued, string job, Activity activity,
        IOperationReporter reporter, CancellationToken cancellationToken, Func<JenkinsBuildInfo, Task> onStartedDespiteCancel)
    {
        try
        {
            return await client.WaitForBuildAsync(queued, job, why => activity.Report("In Jenkins' queue: " + why), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            activity.Complete();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            if (queued.BuildUrl is null && queued.QueueId is { } queueId && await client.CancelQueueItemAsync(queueId, grace.Token))
            {
                reporter.Warning($"Cancelled the queued {job} build ({queued.QueueUrl}) before it started; nothing was deployed.");
                throw;
            }

            // Too late: it left the queue and runs. It is never stopped from here, only recorded.
            var started = await client.WaitForBuildAsync(queued, job, null, grace.Token);
            await onStartedDespiteCancel(started);
            throw;
        }
        catch (GovukDeployException e) when (e.ErrorId == "DeployQueueCancelled")
        {
            activity.Complete();
            throw;
        }
    }

    private Task<long> RecordStartAsync(DeployRequest request, Application application, IReadOnlyList<GateVerdict> gates, JenkinsBuildInfo build,
        bool confidential, string recorded) =>
        // Recorded even when the caller was cancelled meanwhile: the build runs, so the store must know.
        _store.StartDeploymentAsync(new DeploymentStart
        {
            Application = application.Name,
            Environment = request.Environment,
            Release = recorded,
            Sha = request.Sha,
            BuildUrl = build.Url,
            DeployedBy = request.Actor,
            IsBranchDeploy = request.IsBranchDeploy,
            // A shared store is read by many: a confidential deploy's gates keep only what names nothing of the change.
            Gates = confidential ? ConfidentialRedaction.ForStore(gates, request, recorded) : gates,
            Confidential = confidential,
            // The store audits every Overridden gate, with this reason, in the same transaction as the start.
            OverrideReason = gates.Any(g => g.Outcome == GateOutcome.Overridden) ? request.Reason?.Trim() : null,
        }, CancellationToken.None);

    private async Task<Deployment> FollowAsync(long id, Application application, string environment, string release, string buildUrl, bool smokeTest,
        string actor, Activity activity, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var client = _jenkins.For(environment);
        var tail = new Queue<string>();
        JenkinsBuildInfo finished;
        try
        {
            finished = await client.WatchAsync(buildUrl, line =>
            {
                reporter.Information(line);
                tail.Enqueue(line);
                while (tail.Count > _settings.FailureTailLines)
                {
                    tail.Dequeue();
                }
            }, b => activity.Report(b), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            activity.Complete();
            reporter.Warning(StoppedWatching(id, application.Name, environment, buildUrl));
            throw;
        }

        activity.Complete();
        var status = finished.Result switch
        {
            "SUCCESS" => DeploymentStatus.Succeeded,
            "ABORTED" or "NOT_BUILT" => DeploymentStatus.Aborted,
            _ => DeploymentStatus.Failed,
        };
        var deployment = await _store.FinishDeploymentAsync(id, new DeploymentFinish(status, BuildUrl: finished.Url, FinishedAt: finished.Finished), actor, CancellationToken.None);
        if (status != DeploymentStatus.Succeeded)
        {
            throw DeployErrors.Failed(deployment, finished.Result ?? "no result", tail.ToList());
        }

        await RecordInReleaseAppAsync(application, release, environment, deployment.IsBranchDeploy, reporter);
        if (smokeTest)
        {
            SmokeTestResult smoke;
            try
            {
                smoke = await SmokeTestAsync(application, environment, reporter, cancellationToken);
            }
            catch (GovukDeployException e)
            {
                // The deploy itself succeeded and is recorded so; only the smoke test's result is missing.
                reporter.Warning($"The deploy succeeded, but the smoke tests could not be run ({e.Message}). Run them with Invoke-SmokeTest.");
                return deployment;
            }

            deployment = await _store.FinishDeploymentAsync(id, new DeploymentFinish(status, smoke.Result, finished.Url, deployment.FinishedAt), actor, CancellationToken.None);
        }

        return deployment;
    }

    private async Task RecordInReleaseAppAsync(Application application, string release, string environment, bool isBranch, IOperationReporter reporter)
    {
        if (_releaseApp is null)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _releaseApp.RecordDeploymentAsync(application, release, environment, timeout.Token);
            reporter.Verbose($"Recorded {application.Repository} {release} in {environment} in the Release app.");
        }
        catch (Exception e) when (e is GovukDeployException or OperationCanceledException or HttpRequestException)
        {
            // The deploy happened; only its record elsewhere is missing.
            reporter.Warning($"The deploy of {application.Name} {release}{(isBranch ? " (branch)" : "")} to {environment} succeeded, but the Release app did not record it ({e.Message}). Record it in the Release app by hand.");
        }
    }

    private async Task AnnounceAsync(DeployRequest request, Application application, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await AnnounceTextAsync($"{request.Actor} is deploying {application.Name} {request.Ref} to {request.Environment}: {request.Announce}", reporter, cancellationToken);
    }

    private async Task AnnounceTextAsync(string text, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        if (_slack is null)
        {
            reporter.Warning("-Announce was given but no Slack webhook is configured (SLACK_WEBHOOK_URL); announce the deploy by hand.");
            return;
        }

        try
        {
            await _slack.AnnounceAsync(text, cancellationToken);
        }
        catch (GovukDeployException e)
        {
            reporter.Warning(e.Message);
        }
    }

    private static string StoppedWatching(long id, string application, string environment, string buildUrl) =>
        $"Stopped watching deploy #{id} of {application} to {environment}; it goes on in Jenkins ({buildUrl}) and stays InProgress until followed to its end. " +
        $"Run 'Get-Deployment -Application {application} -InProgress | Wait-Deployment' to follow it and record how it ended.";

    /// <summary>One progress bar, fed from Jenkins' estimatedDuration.</summary>
    private sealed class Activity(IOperationReporter reporter, string name)
    {
        private readonly int _id = Interlocked.Increment(ref _nextActivityId);
        private string _status = "Starting";

        public void Report(string status)
        {
            _status = status;
            reporter.Progress(new ProgressUpdate(_id, name, status));
        }

        public void Report(JenkinsBuildInfo build)
        {
            var percent = -1;
            if (build.Building && build.EstimatedDuration > TimeSpan.Zero)
            {
                var elapsed = TimeProvider.System.GetUtcNow() - build.Started;
                percent = (int)Math.Clamp(elapsed / build.EstimatedDuration * 100, 0, 99);
            }
            else if (!build.Building)
            {
                percent = 100;
            }

            _status = build.Building ? $"Build #{build.Number} running" : $"Build #{build.Number}: {build.Result}";
            reporter.Progress(new ProgressUpdate(_id, name, _status, percent));
        }

        public void Complete() => reporter.Progress(new ProgressUpdate(_id, name, _status, 100, Completed: true));
    }
}
