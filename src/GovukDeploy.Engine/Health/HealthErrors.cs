using GovukDeploy.Errors;

namespace GovukDeploy.Health;

/// <summary>The errors of the checks after a deploy, each saying what to do next.</summary>
public static class HealthErrors
{
    /// <summary>The deploy succeeded but the application is not healthy since: name what failed, suggest rolling back.</summary>
    public static GovukDeployException DeployUnhealthy(Deployment deployment, DeployHealth health, Deployment? rollback = null)
    {
        var failed = health.Checks.Where(c => c.Outcome == HealthOutcome.Failed).ToList();
        var lines = failed.Select(c => $"{c.Name}: {c.Detail}" + string.Concat(c.Items.Where(i => i.Fails).Take(5).Select(i => $"{Environment.NewLine}  {i}")));
        return new GovukDeployException("DeployUnhealthy", ErrorKind.InvalidResult,
            $"Deploy #{deployment.Id} of {deployment.Application} {deployment.Release} to {deployment.Environment} succeeded, but the application is unhealthy since: " +
            $"{string.Join("; ", failed.Select(c => c.Name))} failed.{Environment.NewLine}{string.Join(Environment.NewLine, lines)}{Environment.NewLine}" +
            (rollback is null
                ? $"Look at them now. If this release is the cause, roll back with 'Undo-Deployment -Application {deployment.Application} -Environment {deployment.Environment} -Reason \"<what broke>\"'."
                : $"It was rolled back: deploy #{rollback.Id} put {rollback.Release} back ({rollback.Status}). Look at what failed before deploying again."),
            deployment);
    }

    /// <summary>The health after a deploy could not be learnt: fail closed, so a runbook does not carry on blind.</summary>
    public static GovukDeployException DeployHealthUnknown(Deployment deployment, DeployHealth health) => new(
        "DeployHealthUnknown", ErrorKind.ResourceUnavailable,
        $"Deploy #{deployment.Id} of {deployment.Application} {deployment.Release} to {deployment.Environment} succeeded, but its health is unknown: " +
        $"{string.Join("; ", health.Checks.Where(c => c.Outcome == HealthOutcome.Unknown).Select(c => $"{c.Name}: {c.Detail}").DefaultIfEmpty("nothing could be checked (no Sentry, Icinga or smoke test configured)"))}. " +
        $"Check by hand, or again with 'Test-DeployHealth -Application {deployment.Application} -Environment {deployment.Environment}'.",
        deployment);

    public static GovukDeployException SmokeTestFailed(Deployment deployment) => new(
        "SmokeTestFailed", ErrorKind.InvalidResult,
        $"Deploy #{deployment.Id} of {deployment.Application} {deployment.Release} to {deployment.Environment} succeeded, but the smoke tests failed. " +
        $"Read Smokey's console in the {deployment.Environment} Jenkins; if this release is the cause, roll back with " +
        $"'Undo-Deployment -Application {deployment.Application} -Environment {deployment.Environment} -Reason \"Smoke tests failed\"'.",
        deployment);

    public static GovukDeployException NoDeployToCheck(string application, string environment) => new(
        "NoDeployToCheck", ErrorKind.ObjectNotFound,
        $"No deploy of {application} to {environment} is known (none by GovukDeploy, none in Jenkins' deploy history), so there is no time to check health from. " +
        "Give -Since to check from a time of your choosing.",
        application);

    public static GovukDeployException SinceInFuture(DateTimeOffset since) => new(
        "SinceInFuture", ErrorKind.InvalidArgument,
        $"-Since {since:u} is in the future, so there is nothing to check yet. Give a time in the past, such as (Get-Date).AddHours(-1).",
        since);

    public static GovukDeployException DeploymentMismatch(Deployment deployment, string application, string environment) => new(
        "DeploymentMismatch", ErrorKind.InvalidArgument,
        $"Deployment #{deployment.Id} is of {deployment.Application} to {deployment.Environment}, not of {application} to {environment}. Pipe the deployment itself, or leave out -DeploymentId.",
        deployment.Id);

    public static GovukDeployException NothingToVerifyWith() => new(
        "HealthNotConfigured", ErrorKind.InvalidOperation,
        "-Verify has nothing to check health with: neither SentryUrl nor IcingaUrl is set, and -SmokeTest was not given. " +
        "Configure Sentry or Icinga with Set-GovukDeployConfiguration (Start-GovukDeploySandbox does, for the sandbox), or add -SmokeTest.",
        null);
}
