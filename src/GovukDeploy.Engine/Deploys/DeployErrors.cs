using GovukDeploy.Errors;

namespace GovukDeploy.Deploys;

/// <summary>The errors of a deploy once it has started, each saying what to do next.</summary>
internal static class DeployErrors
{
    public static GovukDeployException Failed(Deployment deployment, string result, IReadOnlyCollection<string> lastLines)
    {
        var aborted = deployment.Status == DeploymentStatus.Aborted;
        var message =
            $"Deploy #{deployment.Id} of {deployment.Application} {deployment.Release} to {deployment.Environment} " +
            $"{(aborted ? "was aborted in Jenkins" : "failed")} ({result}). Read the build's console at {deployment.BuildUrl}; " +
            (aborted
                ? "deploy again when whoever stopped it agrees."
                : "fix the cause and deploy again, or deploy the previous release to roll back.") +
            (lastLines.Count == 0 ? "" : $"{Environment.NewLine}Last {lastLines.Count} console lines:{Environment.NewLine}{string.Join(Environment.NewLine, lastLines)}");
        return new GovukDeployException(aborted ? "DeployAborted" : "DeployFailed", aborted ? ErrorKind.OperationStopped : ErrorKind.InvalidResult, message, deployment);
    }

    public static GovukDeployException NotResumable(Deployment deployment) => new(
        "DeploymentNotResumable", ErrorKind.InvalidOperation,
        $"Deploy #{deployment.Id} of {deployment.Application} to {deployment.Environment} has no Jenkins build URL, so there is nothing to follow. Look in Jenkins for its build.",
        deployment);

    /// <summary>The wait ran out; the deploy goes on in Jenkins and stays InProgress.</summary>
    public static GovukDeployException TimedOut(Deployment deployment, TimeSpan timeout)
    {
        var where = deployment.BuildUrl is { } build ? $"its build {build}" : $"still in Jenkins' queue, {deployment.QueueUrl}";
        return new GovukDeployException("DeployTimeout", ErrorKind.OperationTimeout,
            $"Stopped waiting for deploy #{deployment.Id} of {deployment.Application} {deployment.Release} to {deployment.Environment} after {Seconds(timeout)}: " +
            $"it goes on in Jenkins ({where}) and stays recorded as InProgress. " +
            $"Follow it to its end with 'Wait-Deployment -Id {deployment.Id}', or stop it with 'Stop-Deployment -Id {deployment.Id}'.",
            deployment);
    }

    public static GovukDeployException AlreadyEnded(Deployment deployment) => new(
        "DeploymentAlreadyEnded", ErrorKind.InvalidOperation,
        $"Deploy #{deployment.Id} of {deployment.Application} {deployment.Release} to {deployment.Environment} has already ended ({deployment.Status}" +
        (deployment.FinishedAt is { } at ? $" at {at.ToString("u", System.Globalization.CultureInfo.InvariantCulture)}" : "") +
        "), so there is nothing to stop. " +
        (deployment.Status == DeploymentStatus.Succeeded
            ? $"To take its release out again, use 'Undo-Deployment -Application {deployment.Application} -Environment {deployment.Environment} -Reason ...'."
            : "Get-Deployment -InProgress lists the deploys that are still running."),
        deployment);

    public static GovukDeployException NothingToStop(Deployment deployment) => new(
        "DeploymentNotStoppable", ErrorKind.InvalidOperation,
        $"Deploy #{deployment.Id} of {deployment.Application} to {deployment.Environment} has neither a Jenkins build nor a queue item recorded, so there is nothing to stop. " +
        $"Look in Jenkins for its build; to record it as ended, run 'Stop-Deployment -Id {deployment.Id} -Force'.",
        deployment);

    /// <summary>Jenkins forgot the queue item, and no recent build came from it.</summary>
    public static GovukDeployException QueueItemLost(Deployment deployment, string job) => new(
        "DeployQueueItemLost", ErrorKind.ObjectNotFound,
        $"Jenkins no longer knows the queue item of deploy #{deployment.Id} ({deployment.QueueUrl}), and none of {job}'s newest builds came from it. " +
        $"Look in {job}'s history for its build; if it never ran, record the deploy as ended with 'Stop-Deployment -Id {deployment.Id} -Force'.",
        deployment);

    public static GovukDeployException StopUnconfirmed(Deployment deployment, string buildUrl, TimeSpan waited) => new(
        "DeployStopUnconfirmed", ErrorKind.OperationTimeout,
        $"Jenkins was asked to stop deploy #{deployment.Id} ({buildUrl}), but the build was still running {Seconds(waited)} later; it stays recorded as InProgress. " +
        $"Run Stop-Deployment again, or use the build's 'Terminate' link in Jenkins, then 'Wait-Deployment -Id {deployment.Id}' to record how it ended.",
        deployment);

    private static string Seconds(TimeSpan span) => span.TotalSeconds < 120
        ? $"{span.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} s"
        : $"{span:hh\\:mm\\:ss}";

    public static GovukDeployException ApplicationNotFound(string name) => new(
        "ApplicationNotFound", ErrorKind.ObjectNotFound,
        $"There is no application '{name}'. List them with Get-Application; add one with New-Application or Import-Application.", name);
}
