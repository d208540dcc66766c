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

    public static GovukDeployException ApplicationNotFound(string name) => new(
        "ApplicationNotFound", ErrorKind.ObjectNotFound,
        $"There is no application '{name}'. List them with Get-Application; add one with New-Application or Import-Application.", name);
}
