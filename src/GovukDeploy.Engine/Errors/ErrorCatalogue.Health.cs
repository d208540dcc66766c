using GovukDeploy.Health;

namespace GovukDeploy.Errors;

/// <summary>The checks after a deploy: Sentry, Icinga, the smoke tests, and the rollback they may lead to.</summary>
public static partial class ErrorCatalogue
{
    /// <summary>The deploy succeeded but the application is not healthy since: name what failed, suggest rolling back.</summary>
    public static GovukDeployException DeployUnhealthy(Deployment deployment, DeployHealth health, Deployment? rollback = null)
    {
        var failed = health.Checks.Where(c => c.Outcome == HealthOutcome.Failed).ToList();
        var lines = failed.Select(c => $"{c.Name}: {c.Detail}" + string.Concat(c.Items.Where(i => i.Fails).Take(5).Select(i => $"{Environment.NewLine}  {i}")));
        return new GovukDeployException(nameof(DeployUnhealthy), ErrorKind.InvalidResult,
            $"Deploy #{deployment.Id} of {deployment.Application} {deployment.Release} to {deployment.Environment} succeeded, but the application is unhealthy since: " +
            $"{string.Join("; ", failed.Select(c => c.Name))} failed.{Environment.NewLine}{string.Join(Environment.NewLine, lines)}{Environment.NewLine}" +
            (rollback is null
                ? $"Look at them now. If this release is the cause, roll back with 'Undo-Deployment -Application {deployment.Application} -Environment {deployment.Environment} -Reason \"<what broke>\"'."
                : $"It was rolled back: deploy #{rollback.Id} put {rollback.Release} back ({rollback.Status}). Look at what failed before deploying again."),
            deployment);
    }

    /// <summary>The health after a deploy could not be learnt: fail closed, so a runbook does not carry on blind.</summary>
    public static GovukDeployException DeployHealthUnknown(Deployment deployment, DeployHealth health) => new(
        nameof(DeployHealthUnknown), ErrorKind.ResourceUnavailable,
        $"Deploy #{deployment.Id} of {deployment.Application} {deployment.Release} to {deployment.Environment} succeeded, but its health is unknown: " +
        $"{string.Join("; ", health.Checks.Where(c => c.Outcome == HealthOutcome.Unknown).Select(c => $"{c.Name}: {c.Detail}").DefaultIfEmpty("nothing could be checked (no Sentry, Icinga or smoke test configured)"))}. " +
        $"Check by hand, or again with 'Test-DeployHealth -Application {deployment.Application} -Environment {deployment.Environment}'.",
        deployment);

    public static GovukDeployException SmokeTestFailed(Deployment deployment) => new(
        nameof(SmokeTestFailed), ErrorKind.InvalidResult,
        $"Deploy #{deployment.Id} of {deployment.Application} {deployment.Release} to {deployment.Environment} succeeded, but the smoke tests failed. " +
        $"Read Smokey's console in the {deployment.Environment} Jenkins; if this release is the cause, roll back with " +
        $"'Undo-Deployment -Application {deployment.Application} -Environment {deployment.Environment} -Reason \"Smoke tests failed\"'.",
        deployment);

    /// <summary>The rollback after an unhealthy deploy did not happen; <paramref name="cause"/> says why.</summary>
    public static GovukDeployException RollbackFailed(Deployment deployment, GovukDeployException cause) => new(
        nameof(RollbackFailed), ErrorKind.InvalidResult,
        $"The unhealthy deploy #{deployment.Id} of {deployment.Application} to {deployment.Environment} was not rolled back: {cause.Message} " +
        $"Once that ({cause.ErrorId}) is dealt with, roll back with 'Undo-Deployment -Application {deployment.Application} -Environment {deployment.Environment} -Reason \"<what broke>\"'.",
        deployment, cause);

    public static GovukDeployException NoDeployToCheck(string application, string environment) => new(
        nameof(NoDeployToCheck), ErrorKind.ObjectNotFound,
        $"No deploy of {application} to {environment} is known (none by GovukDeploy, none in Jenkins' deploy history), so there is no time to check health from. " +
        "Give -Since to check from a time of your choosing.",
        application);

    public static GovukDeployException SinceInFuture(DateTimeOffset since) => new(
        nameof(SinceInFuture), ErrorKind.InvalidArgument,
        $"-Since {since:u} is in the future, so there is nothing to check yet. Give a time in the past, such as (Get-Date).AddHours(-1).",
        since);

    public static GovukDeployException DeploymentMismatch(Deployment deployment, string application, string environment) => new(
        nameof(DeploymentMismatch), ErrorKind.InvalidArgument,
        $"Deployment #{deployment.Id} is of {deployment.Application} to {deployment.Environment}, not of {application} to {environment}. Pipe the deployment itself, or leave out -DeploymentId.",
        deployment.Id);

    public static GovukDeployException HealthNotConfigured() => new(
        nameof(HealthNotConfigured), ErrorKind.InvalidOperation,
        "-Verify has nothing to check health with: neither SentryUrl nor IcingaUrl is set, and -SmokeTest was not given. " +
        "Configure Sentry or Icinga with Set-GovukDeployConfiguration (Start-GovukDeploySandbox does, for the sandbox), or add -SmokeTest.",
        null);

    // ---------------------------------------------------------------- Sentry

    public static GovukDeployException SentryTokenMissing(Uri sentry, string setting) => new(
        nameof(SentryTokenMissing), ErrorKind.AuthenticationError,
        $"No Sentry auth token is set, so Sentry at {sentry} cannot be asked. Set SENTRY_AUTH_TOKEN, or 'Set-GovukDeployConfiguration -SentryAuthToken (Read-Host -AsSecureString)'.",
        setting);

    public static GovukDeployException SentryUnreachable(Uri sentry, string why, Exception? inner = null) => new(
        nameof(SentryUnreachable), ErrorKind.ConnectionError,
        $"Sentry at {sentry} could not be used: {why}. Check SentryUrl and the network, then check again, or look in Sentry yourself.", sentry.ToString(), inner);

    public static GovukDeployException SentryAuthenticationFailed(Uri sentry, int status, string organisation) => new(
        nameof(SentryAuthenticationFailed), ErrorKind.AuthenticationError,
        $"Sentry at {sentry} refused the auth token (HTTP {status}). Give a token with read access to {organisation}'s issues in SENTRY_AUTH_TOKEN.",
        sentry.ToString());

    public static GovukDeployException SentryProjectNotFound(Uri sentry, string organisation, string project) => new(
        nameof(SentryProjectNotFound), ErrorKind.ObjectNotFound,
        $"Sentry at {sentry} has no project '{project}' in the organisation '{organisation}'. If the application's project has another name, say so with " +
        $"'Set-GovukDeployConfiguration -Name SentryProjects -Value \"<application>={project}-name\"' (the SentryProjects setting); otherwise check SentryOrganisation.",
        project);

    public static GovukDeployException SentryBadAnswer(Uri sentry, string why) => new(
        nameof(SentryBadAnswer), ErrorKind.InvalidResult,
        $"Sentry at {sentry} gave an answer that is not Sentry's ({why}). Check SentryUrl: it is Sentry's address, whose API is under /api/0/.", sentry.ToString());

    // ---------------------------------------------------------------- Icinga

    public static GovukDeployException IcingaUrlInvalid(string address, string environment) => new(
        nameof(IcingaUrlInvalid), ErrorKind.InvalidArgument,
        $"The Icinga address '{address}' for {environment} is not an http(s) URL. Fix it with 'Set-GovukDeployConfiguration -IcingaUrl'.", address);

    public static GovukDeployException IcingaCredentialsMissing(Uri icinga, string setting) => new(
        nameof(IcingaCredentialsMissing), ErrorKind.AuthenticationError,
        $"No Icinga API user and password are set, so Icinga at {icinga} cannot be asked. Set ICINGA_USER and ICINGA_PASSWORD, or 'Set-GovukDeployConfiguration -IcingaCredential (Get-Credential)'.",
        setting);

    public static GovukDeployException IcingaUnreachable(string environment, Uri icinga, string why, Exception? inner = null) => new(
        nameof(IcingaUnreachable), ErrorKind.ConnectionError,
        $"Icinga for {environment} at {icinga} could not be used: {why}. Check IcingaUrl and the network, then check again, or look in Icinga yourself.",
        icinga.ToString(), inner);

    public static GovukDeployException IcingaAuthenticationFailed(string environment, Uri icinga, int status) => new(
        nameof(IcingaAuthenticationFailed), ErrorKind.AuthenticationError,
        $"Icinga for {environment} at {icinga} refused the API user (HTTP {status}). Check ICINGA_USER and ICINGA_PASSWORD, and that the user may read services.",
        icinga.ToString());

    public static GovukDeployException IcingaFilterRejected(string environment, string why, string setting) => new(
        nameof(IcingaFilterRejected), ErrorKind.InvalidArgument,
        $"Icinga for {environment} refused the service filter ({why}). Check IcingaServiceFilter.", setting);

    public static GovukDeployException IcingaBadAnswer(string environment, Uri icinga) => new(
        nameof(IcingaBadAnswer), ErrorKind.InvalidResult,
        $"Icinga for {environment} at {icinga} gave an answer that is not Icinga's (no results). Check IcingaUrl: it is the Icinga 2 API's address (port 5665).",
        icinga.ToString());
}
