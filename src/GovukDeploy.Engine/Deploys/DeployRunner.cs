using GovukDeploy.Confidential;
using GovukDeploy.Errors;
using GovukDeploy.Jenkins;
using GovukDeploy.Reporting;
using GovukDeploy.Store;

namespace GovukDeploy.Deploys;

/// <summary>
/// Runs Deploy_App for one deploy and follows it: triggers the build, records the deploy as InProgress
/// with its queue item at once (so a session that dies while it is queued leaves something to resume),
/// waits in the queue, notes the build it became, streams the console, records the outcome, tells the
/// Release app, and runs the smoke tests when asked. Cancelled in the queue, it cancels the queue item
/// and records Aborted; cancelled once the build runs, or out of time (DeployRequest.Timeout), it only
/// stops watching (the deploy goes on and stays InProgress in the store until <see cref="WaitAsync"/>
/// follows it to its end, or <see cref="StopAsync"/> stops it).
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

    /// <summary>The store deploys are recorded in.</summary>
    public IDeployStore Store => _store;

    public DeploySettings Settings => _settings;

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
            await AnnounceAsync(request, application, reporter, cancellationToken).ConfigureAwait(false);
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
            queued = await client.TriggerAsync(_settings.DeployJobName, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            activity.Complete();
            throw;
        }

        reporter.Verbose(queued.Recovered
            ? $"The trigger's answer was lost; found the build it started ({queued.BuildUrl ?? queued.QueueUrl})."
            : $"Queued in Jenkins: {queued.QueueUrl}");

        // Recorded as soon as Jenkins has it, even if the caller was cancelled meanwhile: it will run, so the store must know.
        var deploymentId = await RecordStartAsync(request, application, gates, queued, confidential, recorded).ConfigureAwait(false);
        using var wait = new WaitBudget(request.Timeout, cancellationToken);
        var build = await WaitForDeployBuildAsync(deploymentId, client, queued, request.Actor, cancelQueueItemOnInterrupt: true, activity, reporter, wait).ConfigureAwait(false);
        reporter.Information($"Deploy #{deploymentId}: {_settings.DeployJobName} build {build.Url}");
        if (request.NoWait)
        {
            activity.Complete();
            if (announce && confidential)
            {
                reporter.Warning($"-NoWait: the confidential announcement is sent only once a deploy is seen to succeed. When Get-Deployment shows #{deploymentId} succeeded, " +
                    $"say in Slack only that a confidential change to {application.Name} was deployed to {request.Environment}.");
            }

            return (await _store.GetDeploymentAsync(deploymentId, CancellationToken.None).ConfigureAwait(false))!;
        }

        var deployment = await FollowAsync(deploymentId, application, request.Environment, recorded, build.Url, request.SmokeTest, request.Actor, activity, reporter, wait).ConfigureAwait(false);
        if (announce && confidential)
        {
            await AnnounceTextAsync(ConfidentialRedaction.SlackAnnouncement(application, request.Environment, recorded, request.IsBranchDeploy), reporter, cancellationToken).ConfigureAwait(false);
        }

        return deployment;
    }

    /// <summary>
    /// Follows a deploy left InProgress (started with NoWait, or by a session that stopped watching, ran
    /// out of time or crashed) to its end, and records the outcome: from its build, or, when it was still
    /// queued, from its queue item to the build it became (or to Aborted if the item was cancelled).
    /// A finished deployment is returned as it is. With <paramref name="timeout"/>, the wait ends with
    /// DeployTimeout and the deploy stays InProgress.
    /// </summary>
    public async Task<Deployment> WaitAsync(Deployment deployment, IOperationReporter reporter, CancellationToken cancellationToken, bool smokeTest = false, string? actor = null,
        TimeSpan? timeout = null)
    {
        if (deployment.Status != DeploymentStatus.InProgress)
        {
            return deployment;
        }

        if (string.IsNullOrEmpty(deployment.BuildUrl) && string.IsNullOrEmpty(deployment.QueueUrl))
        {
            throw ErrorCatalogue.DeploymentNotResumable(deployment);
        }

        var application = await _store.GetApplicationAsync(deployment.Application, cancellationToken).ConfigureAwait(false)
            ?? new Application { Name = deployment.Application, Repository = deployment.Application, DeployName = deployment.Application };
        var activity = new Activity(reporter, $"Deploying {deployment.Application} {deployment.Release} to {deployment.Environment}");
        actor ??= deployment.DeployedBy;
        using var wait = new WaitBudget(timeout, cancellationToken);
        var buildUrl = deployment.BuildUrl;
        if (string.IsNullOrEmpty(buildUrl))
        {
            var client = _jenkins.For(deployment.Environment);
            // Interrupting a wait only stops watching: the deploy was not started by this command.
            buildUrl = (await WaitForDeployBuildAsync(deployment.Id, client, client.QueuedBuildFrom(deployment.QueueUrl!), actor,
                cancelQueueItemOnInterrupt: false, activity, reporter, wait).ConfigureAwait(false)).Url;
            reporter.Information($"Deploy #{deployment.Id}: {_settings.DeployJobName} build {buildUrl}");
        }

        return await FollowAsync(deployment.Id, application, deployment.Environment, deployment.Release, buildUrl, smokeTest, actor, activity, reporter, wait).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops a deploy that is still in progress (ours, or one observed in Jenkins): cancels its queue item,
    /// or asks Jenkins to stop its build, waits until Jenkins says it has ended, and records that (Aborted,
    /// or how it really ended if it finished first), audited with who stopped it and why. A deploy that
    /// has already ended is DeploymentAlreadyEnded. With <paramref name="force"/>, a deploy whose queue
    /// item and build Jenkins no longer knows is recorded Aborted all the same.
    /// </summary>
    public async Task<Deployment> StopAsync(Deployment deployment, string actor, string? reason, bool force, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        ThrowIfEnded(deployment);

        var why = string.IsNullOrWhiteSpace(reason) ? "" : $": {reason.Trim()}";
        var client = _jenkins.For(deployment.Environment);
        var activity = new Activity(reporter, $"Stopping deploy #{deployment.Id} of {deployment.Application} {deployment.Release} in {deployment.Environment}");
        try
        {
            var buildUrl = deployment.BuildUrl;
            if (string.IsNullOrEmpty(buildUrl))
            {
                if (string.IsNullOrEmpty(deployment.QueueUrl))
                {
                    return force
                        ? await RecordStoppedAsync(deployment, DeploymentStatus.Aborted, null, $"recorded Aborted with Stop-Deployment -Force: Jenkins had neither build nor queue item of it{why}", actor).ConfigureAwait(false)
                        : throw ErrorCatalogue.DeploymentNotStoppable(deployment);
                }

                var queued = client.QueuedBuildFrom(deployment.QueueUrl);
                activity.Report("Cancelling its queue item in Jenkins");
                if (queued.QueueId is { } queueId && await client.CancelQueueItemAsync(queueId, cancellationToken).ConfigureAwait(false))
                {
                    reporter.Warning($"Cancelled deploy #{deployment.Id}'s queue item ({deployment.QueueUrl}) before it started; nothing was deployed.");
                    return await RecordStoppedAsync(deployment, DeploymentStatus.Aborted, null,
                        $"stopped with Stop-Deployment: its queue item was cancelled before it started, so nothing was deployed{why}", actor).ConfigureAwait(false);
                }

                // It left the queue first: it is a build now (or was cancelled by someone else, or forgotten).
                JenkinsBuildInfo? build;
                try
                {
                    build = await client.WaitForBuildAsync(queued, _settings.DeployJobName, null, cancellationToken).ConfigureAwait(false);
                }
                catch (GovukDeployException e) when (e.ErrorId == "DeployQueueCancelled")
                {
                    return await RecordStoppedAsync(deployment, DeploymentStatus.Aborted, null, $"its queue item had been cancelled in Jenkins; nothing was deployed{why}", actor).ConfigureAwait(false);
                }
                catch (GovukDeployException e) when (e.ErrorId == "JenkinsQueueItemGone")
                {
                    build = queued.QueueId is { } id ? await client.FindBuildByQueueIdAsync(_settings.DeployJobName, id, cancellationToken).ConfigureAwait(false) : null;
                    if (build is null)
                    {
                        return force
                            ? await RecordStoppedAsync(deployment, DeploymentStatus.Aborted, null,
                                $"recorded Aborted with Stop-Deployment -Force: Jenkins no longer knew its queue item, and no recent build came from it{why}", actor).ConfigureAwait(false)
                            : throw ErrorCatalogue.DeployQueueItemLost(deployment, _settings.DeployJobName);
                    }
                }

                buildUrl = build.Url;
                deployment = await _store.AttachDeploymentBuildAsync(deployment.Id, buildUrl, CancellationToken.None).ConfigureAwait(false);
            }

            activity.Report($"Asking Jenkins to stop {buildUrl}");
            try
            {
                await client.StopBuildAsync(buildUrl, cancellationToken).ConfigureAwait(false);
            }
            catch (GovukDeployException e) when (e.ErrorId == "JenkinsBuildNotFound" && force)
            {
                return await RecordStoppedAsync(deployment, DeploymentStatus.Aborted, null, $"recorded Aborted with Stop-Deployment -Force: Jenkins no longer has its build{why}", actor).ConfigureAwait(false);
            }

            using var confirm = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            confirm.CancelAfter(_settings.StopConfirmTimeout);
            JenkinsBuildInfo ended;
            try
            {
                ended = await client.WaitUntilFinishedAsync(buildUrl, b => activity.Report(b), confirm.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw ErrorCatalogue.DeployStopUnconfirmed(deployment, buildUrl, _settings.StopConfirmTimeout);
            }

            var status = JenkinsResults.ToStatus(building: false, ended.Result);
            if (status != DeploymentStatus.Aborted)
            {
                reporter.Warning($"Deploy #{deployment.Id} had already ended ({ended.Result}) when the stop reached Jenkins; it is recorded as it ended.");
            }

            return await RecordStoppedAsync(deployment, status, ended, status == DeploymentStatus.Aborted
                ? $"stopped with Stop-Deployment ({buildUrl}){why}"
                : $"Stop-Deployment came too late: it had already ended ({ended.Result}){why}", actor).ConfigureAwait(false);
        }
        finally
        {
            activity.Complete();
        }
    }

    /// <summary>DeploymentAlreadyEnded for a deploy that is not in progress: there is nothing to stop.</summary>
    public static void ThrowIfEnded(Deployment deployment)
    {
        if (deployment.Status != DeploymentStatus.InProgress)
        {
            throw ErrorCatalogue.DeploymentAlreadyEnded(deployment);
        }
    }

    private Task<Deployment> RecordStoppedAsync(Deployment deployment, DeploymentStatus status, JenkinsBuildInfo? build, string note, string actor) =>
        // The stop has happened in Jenkins: record it even if the caller gives up now.
        _store.FinishDeploymentAsync(deployment.Id, new DeploymentFinish(status, BuildUrl: build?.Url, FinishedAt: build?.Finished, Note: note), actor, CancellationToken.None);

    /// <summary>Runs the Smokey job for the app and environment and reports Passed or Failed.</summary>
    public async Task<SmokeTestResult> SmokeTestAsync(Application application, string environment, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var activity = new Activity(reporter, $"Smoke testing {application.Name} in {environment}");
        var client = _jenkins.For(environment);
        var parameters = new Dictionary<string, string> { ["TARGET_APPLICATION"] = application.DeployName };
        activity.Report($"Starting {_settings.SmokeTestJobName}");
        var queued = await client.TriggerAsync(_settings.SmokeTestJobName, parameters, cancellationToken).ConfigureAwait(false);
        var build = await WaitForStartAsync(client, queued, _settings.SmokeTestJobName, activity, reporter, cancellationToken,
            onStartedDespiteCancel: started =>
            {
                reporter.Warning($"Stopped watching the smoke tests; they go on in Jenkins: {started.Url}");
                return Task.CompletedTask;
            }).ConfigureAwait(false);
        reporter.Information($"{_settings.SmokeTestJobName} build {build.Url}");
        JenkinsBuildInfo finished;
        try
        {
            finished = await client.WatchAsync(build.Url, reporter.Information, b => activity.Report(b), cancellationToken).ConfigureAwait(false);
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
            return await client.WaitForBuildAsync(queued, job, why => activity.Report("In Jenkins' queue: " + why), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            activity.Complete();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            if (queued.BuildUrl is null && queued.QueueId is { } queueId && await client.CancelQueueItemAsync(queueId, grace.Token).ConfigureAwait(false))
            {
                reporter.Warning($"Cancelled the queued {job} build ({queued.QueueUrl}) before it started; nothing was deployed.");
                throw;
            }

            // Too late: it left the queue and runs. It is never stopped from here, only recorded.
            var started = await client.WaitForBuildAsync(queued, job, null, grace.Token).ConfigureAwait(false);
            await onStartedDespiteCancel(started).ConfigureAwait(false);
            throw;
        }
        catch (GovukDeployException e) when (e.ErrorId == "DeployQueueCancelled")
        {
            activity.Complete();
            throw;
        }
    }

    private Task<long> RecordStartAsync(DeployRequest request, Application application, IReadOnlyList<GateVerdict> gates, JenkinsQueuedBuild queued,
        bool confidential, string recorded) =>
        _store.StartDeploymentAsync(new DeploymentStart
        {
            Application = application.Name,
            Environment = request.Environment,
            Release = recorded,
            Sha = request.Sha,
            BuildUrl = queued.BuildUrl,
            QueueUrl = queued.QueueUrl,
            DeployedBy = request.Actor,
            IsBranchDeploy = request.IsBranchDeploy,
            DeployTask = string.IsNullOrWhiteSpace(request.DeployTask) ? DeployTasks.Deploy : request.DeployTask,
            // A shared store is read by many: a confidential deploy's gates keep only what names nothing of the change.
            Gates = confidential ? ConfidentialRedaction.ForStore(gates, request, recorded) : gates,
            Confidential = confidential,
            // The store audits every Overridden gate, with this reason, in the same transaction as the start.
            OverrideReason = gates.Any(g => g.Outcome == GateOutcome.Overridden) ? request.Reason?.Trim() : null,
            IsRollback = request.Rollback,
            RollsBack = request.Rollback ? request.RollsBack : null,
            RollbackDetail = request.Rollback ? RollbackAudit(request, gates) : null,
        }, CancellationToken.None);

    /// <summary>Why a rollback was made, and how it passed the gates that a rollback treats differently.</summary>
    private static string RollbackAudit(DeployRequest request, IReadOnlyList<GateVerdict> gates) =>
        $"{request.Reason?.Trim().TrimEnd('.')}. " + string.Join("; ", gates
            .Where(g => g.Gate is Gates.GateNames.PromotionOrder or Gates.GateNames.Window or Gates.GateNames.Freeze)
            .Select(g => $"{g.Gate} {g.Outcome}: {g.Detail.TrimEnd('.')}")) + ".";

    /// <summary>
    /// Waits in Jenkins' queue for the deploy's build and notes it in the store. Interrupted (Ctrl+C), it
    /// cancels the queue item when asked to and records Aborted, or, if it left the queue first, notes the
    /// build and stops watching; out of time, it ends with DeployTimeout and the record stays InProgress;
    /// a queue item cancelled in Jenkins is recorded Aborted.
    /// </summary>
    private async Task<JenkinsBuildInfo> WaitForDeployBuildAsync(long id, JenkinsClient client, JenkinsQueuedBuild queued, string actor, bool cancelQueueItemOnInterrupt,
        Activity activity, IOperationReporter reporter, WaitBudget wait)
    {
        var job = _settings.DeployJobName;
        JenkinsBuildInfo build;
        try
        {
            try
            {
                build = await client.WaitForBuildAsync(queued, job, why => activity.Report("In Jenkins' queue: " + why), wait.Token).ConfigureAwait(false);
            }
            catch (GovukDeployException e) when (e.ErrorId == "JenkinsQueueItemGone" && queued.QueueId is { } queueId)
            {
                // Jenkins forgets a queue item minutes after it left the queue; its build remembers the queue id.
                build = await client.FindBuildByQueueIdAsync(job, queueId, wait.Token).ConfigureAwait(false)
                    ?? throw ErrorCatalogue.DeployQueueItemLost((await _store.GetDeploymentAsync(id, CancellationToken.None).ConfigureAwait(false))!, job);
            }
        }
        catch (OperationCanceledException) when (wait.Interrupted)
        {
            activity.Complete();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            if (cancelQueueItemOnInterrupt && queued.BuildUrl is null && queued.QueueId is { } queueId && await client.CancelQueueItemAsync(queueId, grace.Token).ConfigureAwait(false))
            {
                await _store.FinishDeploymentAsync(id, new DeploymentFinish(DeploymentStatus.Aborted,
                    Note: "interrupted while queued: its queue item was cancelled, so nothing was deployed"), actor, CancellationToken.None).ConfigureAwait(false);
                reporter.Warning($"Cancelled the queued {job} build ({queued.QueueUrl}) before it started; nothing was deployed. Deploy #{id} is recorded Aborted.");
                throw;
            }

            if (!cancelQueueItemOnInterrupt && queued.BuildUrl is null)
            {
                reporter.Warning(StoppedWatching(id, (await _store.GetDeploymentAsync(id, CancellationToken.None).ConfigureAwait(false))!, null));
                throw;
            }

            // Too late: it left the queue and runs. It is never stopped from here, only recorded.
            var started = await client.WaitForBuildAsync(queued, job, null, grace.Token).ConfigureAwait(false);
            var deployment = await _store.AttachDeploymentBuildAsync(id, started.Url, CancellationToken.None).ConfigureAwait(false);
            reporter.Warning(StoppedWatching(id, deployment, started.Url));
            throw;
        }
        catch (OperationCanceledException) when (wait.TimedOut)
        {
            activity.Complete();
            throw ErrorCatalogue.DeployTimeout((await _store.GetDeploymentAsync(id, CancellationToken.None).ConfigureAwait(false))!, wait.Timeout!.Value);
        }
        catch (GovukDeployException e) when (e.ErrorId == "DeployQueueCancelled")
        {
            activity.Complete();
            var aborted = await _store.FinishDeploymentAsync(id, new DeploymentFinish(DeploymentStatus.Aborted,
                Note: "its queue item was cancelled in Jenkins before it started, so nothing was deployed"), actor, CancellationToken.None).ConfigureAwait(false);
            throw e.Restated($"{e.Message} Deploy #{id} is recorded Aborted.", aborted);
        }
        catch (GovukDeployException)
        {
            activity.Complete();
            throw;
        }

        await _store.AttachDeploymentBuildAsync(id, build.Url, CancellationToken.None).ConfigureAwait(false);
        return build;
    }

    private async Task<Deployment> FollowAsync(long id, Application application, string environment, string release, string buildUrl, bool smokeTest,
        string actor, Activity activity, IOperationReporter reporter, WaitBudget wait)
    {
        // The timeout covers the deploy only; the smoke tests after it have their own progress and Ctrl+C.
        var cancellationToken = wait.Caller;
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
            }, b => activity.Report(b), wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (wait.Interrupted)
        {
            activity.Complete();
            reporter.Warning(StoppedWatching(id, (await _store.GetDeploymentAsync(id, CancellationToken.None).ConfigureAwait(false))!, buildUrl));
            throw;
        }
        catch (OperationCanceledException) when (wait.TimedOut)
        {
            activity.Complete();
            throw ErrorCatalogue.DeployTimeout((await _store.GetDeploymentAsync(id, CancellationToken.None).ConfigureAwait(false))!, wait.Timeout!.Value);
        }

        activity.Complete();
        var status = JenkinsResults.ToStatus(building: false, finished.Result);
        var deployment = await _store.FinishDeploymentAsync(id, new DeploymentFinish(status, BuildUrl: finished.Url, FinishedAt: finished.Finished), actor, CancellationToken.None).ConfigureAwait(false);
        if (status != DeploymentStatus.Succeeded)
        {
            throw deployment.Status == DeploymentStatus.Aborted
                ? ErrorCatalogue.DeployAborted(deployment, finished.Result ?? "no result", tail.ToList())
                : ErrorCatalogue.DeployFailed(deployment, finished.Result ?? "no result", tail.ToList());
        }

        await RecordInReleaseAppAsync(application, release, environment, deployment.IsBranchDeploy, reporter).ConfigureAwait(false);
        if (smokeTest)
        {
            SmokeTestResult smoke;
            try
            {
                smoke = await SmokeTestAsync(application, environment, reporter, cancellationToken).ConfigureAwait(false);
            }
            catch (GovukDeployException e)
            {
                // The deploy itself succeeded and is recorded so; only the smoke test's result is missing.
                reporter.Warning($"The deploy succeeded, but the smoke tests could not be run ({e.Message}). Run them with Invoke-SmokeTest.");
                return deployment;
            }

            deployment = await _store.FinishDeploymentAsync(id, new DeploymentFinish(status, smoke.Result, finished.Url, deployment.FinishedAt), actor, CancellationToken.None).ConfigureAwait(false);
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
            await _releaseApp.RecordDeploymentAsync(application, release, environment, timeout.Token).ConfigureAwait(false);
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
        await AnnounceTextAsync($"{request.Actor} is deploying {application.Name} {request.Ref} to {request.Environment}: {request.Announce}", reporter, cancellationToken).ConfigureAwait(false);
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
            await _slack.AnnounceAsync(text, cancellationToken).ConfigureAwait(false);
        }
        catch (GovukDeployException e)
        {
            reporter.Warning(e.Message);
        }
    }

    private static string StoppedWatching(long id, Deployment deployment, string? buildUrl) =>
        $"Stopped watching deploy #{id} of {deployment.Application} to {deployment.Environment}; it goes on in Jenkins ({buildUrl ?? "still queued: " + deployment.QueueUrl}) and stays InProgress until followed to its end. " +
        $"Run 'Wait-Deployment -Id {id}' to follow it and record how it ended, or 'Stop-Deployment -Id {id}' to stop it.";

    /// <summary>
    /// The caller's cancellation (Ctrl+C) and an optional time limit, told apart: running out of time ends
    /// the wait with DeployTimeout, an interruption only stops watching.
    /// </summary>
    private sealed class WaitBudget : IDisposable
    {
        private readonly CancellationTokenSource _linked;

        public WaitBudget(TimeSpan? timeout, CancellationToken caller)
        {
            Caller = caller;
            Timeout = timeout is { } t && t > TimeSpan.Zero ? t : null;
            _linked = CancellationTokenSource.CreateLinkedTokenSource(caller);
            if (Timeout is { } limit)
            {
                _linked.CancelAfter(limit);
            }
        }

        public CancellationToken Caller { get; }
        public TimeSpan? Timeout { get; }
        public CancellationToken Token => _linked.Token;
        public bool Interrupted => Caller.IsCancellationRequested;
        public bool TimedOut => !Caller.IsCancellationRequested && _linked.IsCancellationRequested;

        public void Dispose() => _linked.Dispose();
    }

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
