using GovukDeploy.Deploys;

namespace GovukDeploy.Errors;

/// <summary>Deploys, their gates and rollbacks.</summary>
public static partial class ErrorCatalogue
{
    public static GovukDeployException ApplicationNotFound(string name, IReadOnlyList<string>? suggestions = null) => new(
        nameof(ApplicationNotFound), ErrorKind.ObjectNotFound,
        $"No application named '{name}' is in the catalogue."
            + (suggestions is { Count: > 0 } ? $" Did you mean {List(suggestions.Select(s => $"'{s}'"))}?" : "")
            + " Get-Application lists the catalogue; Import-Application or New-Application adds to it.",
        name);

    public static GovukDeployException UnknownEnvironment(string? environment, IEnumerable<string> environments) => new(
        nameof(UnknownEnvironment), ErrorKind.InvalidArgument,
        $"'{environment}' is not a configured environment. Use one of: {List(environments)} (the Environments setting lists them in promotion order).",
        environment);

    public static GovukDeployException DeployFailed(Deployment deployment, string result, IReadOnlyCollection<string> lastLines) => new(
        nameof(DeployFailed), ErrorKind.InvalidResult,
        $"Deploy #{deployment.Id} of {deployment.Application} {deployment.Release} to {deployment.Environment} failed ({result}). Read the build's console at {deployment.BuildUrl}; " +
        "fix the cause and deploy again, or deploy the previous release to roll back." + LastLines(lastLines),
        deployment);

    public static GovukDeployException DeployAborted(Deployment deployment, string result, IReadOnlyCollection<string> lastLines) => new(
        nameof(DeployAborted), ErrorKind.OperationStopped,
        $"Deploy #{deployment.Id} of {deployment.Application} {deployment.Release} to {deployment.Environment} was aborted in Jenkins ({result}). Read the build's console at {deployment.BuildUrl}; " +
        "deploy again when whoever stopped it agrees." + LastLines(lastLines),
        deployment);

    private static string LastLines(IReadOnlyCollection<string> lines) => lines.Count == 0
        ? ""
        : $"{Environment.NewLine}Last {lines.Count} console lines:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";

    public static GovukDeployException DeploymentBuildNotRecorded(Deployment deployment) => new(
        nameof(DeploymentBuildNotRecorded), ErrorKind.ObjectNotFound,
        $"Deployment {deployment.Id} ({deployment.Application} {deployment.Release} to {deployment.Environment}) has no Jenkins build recorded, so there is no console to show. " +
        (deployment.Status == DeploymentStatus.InProgress
            ? "It may still be waiting in Jenkins' queue: follow it with Wait-Deployment, then try again."
            : "It was recorded without one (from the Release app or a deployed-to branch); look in Jenkins' Deploy_App history."),
        deployment.Id);

    public static GovukDeployException DeploymentBuildGone(Deployment deployment, string buildUrl) => new(
        nameof(DeploymentBuildGone), ErrorKind.ObjectNotFound,
        $"Jenkins no longer has the build of deployment {deployment.Id} ({buildUrl}): Jenkins discards old builds. Its outcome is still in Get-Deployment.",
        buildUrl);

    public static GovukDeployException InvalidTail(int tail) => new(
        nameof(InvalidTail), ErrorKind.InvalidArgument, $"-Tail must be 0 or more, not {tail}.", tail);

    public static GovukDeployException DeploymentNotResumable(Deployment deployment) => new(
        nameof(DeploymentNotResumable), ErrorKind.InvalidOperation,
        $"Deploy #{deployment.Id} of {deployment.Application} to {deployment.Environment} has no Jenkins build URL, so there is nothing to follow. Look in Jenkins for its build.",
        deployment);

    /// <summary>The wait ran out; the deploy goes on in Jenkins and stays InProgress.</summary>
    public static GovukDeployException DeployTimeout(Deployment deployment, TimeSpan timeout) => new(
        nameof(DeployTimeout), ErrorKind.OperationTimeout,
        $"Stopped waiting for deploy #{deployment.Id} of {deployment.Application} {deployment.Release} to {deployment.Environment} after {Seconds(timeout)}: " +
        $"it goes on in Jenkins ({(deployment.BuildUrl is { } build ? $"its build {build}" : $"still in Jenkins' queue, {deployment.QueueUrl}")}) and stays recorded as InProgress. " +
        $"Follow it to its end with 'Wait-Deployment -Id {deployment.Id}', or stop it with 'Stop-Deployment -Id {deployment.Id}'.",
        deployment);

    public static GovukDeployException DeploymentAlreadyEnded(Deployment deployment) => new(
        nameof(DeploymentAlreadyEnded), ErrorKind.InvalidOperation,
        $"Deploy #{deployment.Id} of {deployment.Application} {deployment.Release} to {deployment.Environment} has already ended ({deployment.Status}" +
        (deployment.FinishedAt is { } at ? $" at {Utc(at)}" : "") +
        "), so there is nothing to stop. " +
        (deployment.Status == DeploymentStatus.Succeeded
            ? $"To take its release out again, use 'Undo-Deployment -Application {deployment.Application} -Environment {deployment.Environment} -Reason ...'."
            : "Get-Deployment -InProgress lists the deploys that are still running."),
        deployment);

    public static GovukDeployException DeploymentNotStoppable(Deployment deployment) => new(
        nameof(DeploymentNotStoppable), ErrorKind.InvalidOperation,
        $"Deploy #{deployment.Id} of {deployment.Application} to {deployment.Environment} has neither a Jenkins build nor a queue item recorded, so there is nothing to stop. " +
        $"Look in Jenkins for its build; to record it as ended, run 'Stop-Deployment -Id {deployment.Id} -Force'.",
        deployment);

    /// <summary>Jenkins forgot the queue item, and no recent build came from it.</summary>
    public static GovukDeployException DeployQueueItemLost(Deployment deployment, string job) => new(
        nameof(DeployQueueItemLost), ErrorKind.ObjectNotFound,
        $"Jenkins no longer knows the queue item of deploy #{deployment.Id} ({deployment.QueueUrl}), and none of {job}'s newest builds came from it. " +
        $"Look in {job}'s history for its build; if it never ran, record the deploy as ended with 'Stop-Deployment -Id {deployment.Id} -Force'.",
        deployment);

    public static GovukDeployException DeployStopUnconfirmed(Deployment deployment, string buildUrl, TimeSpan waited) => new(
        nameof(DeployStopUnconfirmed), ErrorKind.OperationTimeout,
        $"Jenkins was asked to stop deploy #{deployment.Id} ({buildUrl}), but the build was still running {Seconds(waited)} later; it stays recorded as InProgress. " +
        $"Run Stop-Deployment again, or use the build's 'Terminate' link in Jenkins, then 'Wait-Deployment -Id {deployment.Id}' to record how it ended.",
        deployment);

    public static GovukDeployException DeployedStateUnknown(string application, string environment, string observation) => new(
        nameof(DeployedStateUnknown), ErrorKind.ResourceUnavailable,
        $"What {application} runs in {environment} is unknown: {observation}. " +
        "Check that Jenkins answers (Sync-Deployment reads it again), then try again.",
        application);

    public static GovukDeployException ReleaseAppRecordFailed(string releaseApp, string repository, string version, string environment, string why, string application, Exception? inner) => new(
        nameof(ReleaseAppRecordFailed), ErrorKind.ConnectionError,
        $"The Release app at {releaseApp} did not record {repository} {version} in {environment} ({why}). " +
        "Check the Release app and its token (RELEASE_APP_BEARER_TOKEN), and record the deploy there by hand.",
        application, inner);

    public static GovukDeployException SlackAnnounceFailed(string why, string text) => new(
        nameof(SlackAnnounceFailed), ErrorKind.ConnectionError,
        $"The Slack webhook did not take the announcement ({why}). Announce the deploy by hand.", text);

    // ---------------------------------------------------------------- gates

    public static GovukDeployException ForceNeedsReason(string overriding, object? target, Exception refusal) => new(
        nameof(ForceNeedsReason), ErrorKind.InvalidArgument,
        $"-Force would override {overriding}, and an override needs a reason for the audit log. Add -Reason 'why this cannot wait'.",
        target, refusal);

    public static GovukDeployException ApplicationRetired(string application) => new(
        nameof(ApplicationRetired), ErrorKind.InvalidOperation,
        $"{application} is retired and is not deployed any more. If it is back in service, mark it so with Set-Application.", application);

    public static GovukDeployException ReleaseRequired(string application) => new(
        nameof(ReleaseRequired), ErrorKind.InvalidArgument,
        $"Say what to deploy of {application}: -Release release_N (see Get-Release -Latest), or -Branch name for integration.", application);

    public static GovukDeployException ReleaseNotFound(Application application, string release, string? why = null) => new(
        nameof(ReleaseNotFound), ErrorKind.ObjectNotFound,
        $"{application.Name} ({application.Repository}) has no release '{release}'.{(why is null ? "" : " " + why)} " +
        $"List its releases with 'Get-Release -Application {application.Name}' and pick one that exists.",
        release);

    public static GovukDeployException BranchNotFound(Application application, string branch) => new(
        nameof(BranchNotFound), ErrorKind.ObjectNotFound,
        $"{application.Name} ({application.Repository}) has no branch '{branch}'. Check the branch's name, and that it has been pushed to {application.Repository}.",
        branch);

    public static GovukDeployException BranchDeployNotAllowed(string firstEnvironment, string? branch) => new(
        nameof(BranchDeployNotAllowed), ErrorKind.InvalidOperation,
        $"A branch can be deployed to {firstEnvironment} only. Merge it, let the release tag be made, and promote that release.", branch);

    public static GovukDeployException PromotionOrderUnknown(string what, string why, string advice, object? target) => new(
        nameof(PromotionOrderUnknown), ErrorKind.ResourceUnavailable,
        $"{what} is unknown, so this deploy is refused: {why}. {advice}", target);

    public static GovukDeployException PromotionOrderViolated(string application, string release, string previous, string environment) => new(
        nameof(PromotionOrderViolated), ErrorKind.InvalidOperation,
        $"{application} {release} has not been deployed successfully to {previous}, and {environment} only gets releases that have. " +
        $"Deploy it to {previous} first: Invoke-Deploy -Application {application} -Environment {previous} -Release {release}.",
        release);

    public static GovukDeployException DeployFrozen(string application, string environment, string freezes, object? target) => new(
        nameof(DeployFrozen), ErrorKind.InvalidOperation,
        $"{application} may not be deployed to {environment}: {freezes}. " +
        "Wait until the freeze is lifted (Get-DeployFreeze shows who to ask), or, if it cannot wait, deploy with -Force -Reason '...'.",
        target);

    public static GovukDeployException FreezeStatusUnknown(string application, string why, object? target) => new(
        nameof(FreezeStatusUnknown), ErrorKind.ResourceUnavailable,
        $"Whether {application} is frozen is unknown: {why}. Treat it as frozen: check the Release app (or the ReleaseAppUrl setting) and try again, " +
        "or, if a deploy cannot wait, deploy with -Force -Reason '...'.",
        target);

    public static GovukDeployException OutsideDeployWindow(string environment, string detail, DateTimeOffset? nextOpening, object? target) => new(
        nameof(OutsideDeployWindow), ErrorKind.InvalidOperation,
        $"{environment} is outside its deploy window now ({detail}).{(nextOpening is { } n ? $" The window next opens at {Utc(n)}." : "")} " +
        "Deploy then (Get-DeployWindow lists the windows), or, if it cannot wait, use -Force -Reason '...'.",
        target);

    public static GovukDeployException OtherChangesUnknown(string what, string why, string advice, object? target, Exception? inner = null) => new(
        nameof(OtherChangesUnknown), ErrorKind.ResourceUnavailable,
        $"{what} is unknown, so this deploy is refused: {why}. {advice}", target, inner);

    /// <summary>
    /// Another deploy holds the environment: by its lock (then <paramref name="lease"/> says when it last renewed it), or by a
    /// record still InProgress (then <paramref name="deploymentId"/> says which).
    /// </summary>
    public static GovukDeployException DeployInProgress(string application, string environment, string holder, DateTimeOffset? since, long? deploymentId, object? target, Exception? inner = null, string? lease = null) => new(
        nameof(DeployInProgress), ErrorKind.ResourceBusy,
        $"Someone is already deploying {application} to {environment} ({holder}{(since is { } s ? $", since {Utc(s)}" : "")}{lease}). " +
        (deploymentId is { } id
            ? $"Follow it to its end with 'Wait-Deployment -Id {id}', or stop it with 'Stop-Deployment -Id {id}', then deploy."
            : "Wait for that deploy to finish (Get-Deployment -InProgress lists it), then try again; -Force does not break a deploy lock."),
        target, inner);

    // ---------------------------------------------------------------- rollbacks

    public static GovukDeployException RollbackReasonRequired(string application) => new(
        nameof(RollbackReasonRequired), ErrorKind.InvalidArgument,
        "A rollback needs a reason for the audit log: add -Reason 'what went wrong'.", application);

    public static GovukDeployException RollbackReleaseIsRunning(Application application, string environment, string release, Deployment current) => new(
        nameof(RollbackReleaseIsRunning), ErrorKind.InvalidArgument,
        $"{environment} already runs {application.Name} {release} ({Rollbacks.Describe(current)}), so there is nothing to roll back to there. " +
        "Give an older release with -Release, or leave -Release out to return to the one that ran before it.",
        release);

    public static GovukDeployException NothingToUndo(Application application, string environment) => new(
        nameof(NothingToUndo), ErrorKind.ObjectNotFound,
        $"{application.Name} has no successful deploy in {environment}, neither by GovukDeploy nor in its Jenkins history, so there is nothing to undo. " +
        $"'Get-Deployment -Application {application.Name} -Environment {environment}' shows what the store knows.",
        application.Name);

    public static GovukDeployException NoPreviousRelease(Application application, string environment, Deployment current) => new(
        nameof(NoPreviousRelease), ErrorKind.ObjectNotFound,
        $"Nothing ran in {environment} before {application.Name} {current.Release} ({Rollbacks.Describe(current)}): its deploy history, ours and Jenkins', " +
        "has no earlier successful deploy of another release, so there is nothing to roll back to. Deploy a release that fixes the problem with Invoke-Deploy instead.",
        current);

    public static GovukDeployException RollbackReleaseNotDeployedBefore(Application application, string environment, string release, IReadOnlyList<Deployment> history)
    {
        var ran = history.Where(d => d.ChangedWhatRuns && !d.IsBranchDeploy)
            .OrderByDescending(d => d.FinishedAt ?? d.StartedAt)
            .Select(d => d.Release).Distinct(StringComparer.Ordinal).Take(8).ToList();
        return new GovukDeployException(nameof(RollbackReleaseNotDeployedBefore), ErrorKind.InvalidArgument,
            $"{application.Name} {release} never succeeded in {environment}, so it is no rollback: a rollback only returns to a release that ran there before. " +
            (ran.Count == 0 ? "No release has succeeded there yet. " : $"Releases that did, newest first: {List(ran)}. ") +
            "To deploy a release that never ran there, use Invoke-Deploy, which checks the promotion order.",
            release);
    }

    public static GovukDeployException RollbackPlanChanged(RollbackRequest request, Deployment current) => new(
        nameof(RollbackPlanChanged), ErrorKind.InvalidOperation,
        $"What {request.Application} runs in {request.Environment} changed since the rollback was planned: it is now {current.Release} ({Rollbacks.Describe(current)}), " +
        $"not deploy #{request.ExpectedCurrentId}. Nothing was deployed; look at 'Undo-Deployment -Application {request.Application} -Environment {request.Environment} -Reason ... -WhatIf' again.",
        current);
}
