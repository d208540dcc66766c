namespace GovukDeploy.Errors;

/// <summary>Refusals of the cmdlets themselves: parameters that do not go together, and questions a session cannot ask.</summary>
public static partial class ErrorCatalogue
{
    /// <summary>Something no other id foresaw; the original exception is the inner one.</summary>
    public static GovukDeployException UnexpectedError(string command, Exception unexpected) => new(
        nameof(UnexpectedError), ErrorKind.NotSpecified,
        $"{command} failed in a way GovukDeploy did not foresee: {unexpected.Message} " +
        "Try again; if it happens again, please report it with the command you ran (the original error is the innermost exception of $Error[0]).",
        command, unexpected);

    public static GovukDeployException ConfirmationRequired(string action, string target, string command, Exception? inner = null) => new(
        nameof(ConfirmationRequired), ErrorKind.InvalidOperation,
        $"'{action}' on {target} needs confirmation, and this session cannot ask for it. " +
        $"Check that it is what you mean, then run {command} again with -Confirm:$false.",
        target, inner);

    /// <summary>A session that cannot ask whether to ship <paramref name="commits"/> commits by other people; -Force answers it.</summary>
    public static GovukDeployException OtherPeoplesChangesNotConfirmed(string target, int commits, string command, Exception? inner = null) => new(
        nameof(OtherPeoplesChangesNotConfirmed), ErrorKind.InvalidOperation,
        $"Deploying {target} would ship {commits} commit(s) by other people, and this session cannot ask for confirmation. Check with them, then run {command} again with -Force.",
        target, inner);

    public static GovukDeployException NoSettingGiven() => new(
        nameof(NoSettingGiven), ErrorKind.InvalidArgument,
        "Give at least one setting to change, such as -GitHubApiUrl, or -Name and -Value. Get-GovukDeployConfiguration lists them.", null);

    public static GovukDeployException EmptySecret(string name) => new(
        nameof(EmptySecret), ErrorKind.InvalidArgument,
        $"{name} was given empty. Give the secret itself, for example with Read-Host -AsSecureString.", name);

    public static GovukDeployException ReasonWithoutConfidential(string reason) => new(
        nameof(ReasonWithoutConfidential), ErrorKind.InvalidArgument,
        "-Reason says why confidential mode goes on or off: give it with -Confidential (on) or -Confidential:$false (off).", reason);

    public static GovukDeployException ReviewAppNotFound(PullRequest pullRequest) => new(
        nameof(ReviewAppNotFound), ErrorKind.ObjectNotFound,
        $"{pullRequest.Application} #{pullRequest.Number} has no review app: GitHub has no deployment for its head ({pullRequest.HeadBranch}) whose newest status gives an address" +
        (pullRequest.ReviewAppState is { } state ? $" (its newest deployment status is {state}, with no address)" : "") + ". " +
        "Review apps are made by an integration that writes GitHub deployments (such as Heroku's); see the pull request's page with -Web.",
        pullRequest);

    /// <summary><paramref name="address"/> says whose address was refused (a pull request's page, its review app, a deploy's build); <paramref name="instead"/> what to look at instead.</summary>
    public static GovukDeployException UnsafeUrl(string address, string instead, object? target) => new(
        nameof(UnsafeUrl), ErrorKind.InvalidData,
        $"{address} is not an http or https address, so it is not opened. {instead}",
        target);

    // ---------------------------------------------------------------- Invoke-Deploy and Test-DeployHealth

    public static GovukDeployException InvalidVerifyFor(int seconds) => new(
        nameof(InvalidVerifyFor), ErrorKind.InvalidArgument,
        $"-VerifyForSec {seconds} must be more than zero and at most a day (86400), such as -VerifyForSec 600.", seconds);

    public static GovukDeployException VerifyWithNoWait() => new(
        nameof(VerifyWithNoWait), ErrorKind.InvalidArgument,
        "-Verify checks health after the deploy has ended, so it cannot go with -NoWait. Leave out -NoWait, or run Test-DeployHealth after Wait-Deployment.", "NoWait");

    /// <summary><paramref name="earlier"/> is an environment the deploy could come from, such as the one before <paramref name="environment"/>.</summary>
    public static GovukDeployException FromEnvironmentNotEarlier(string from, string environment, IReadOnlyList<string> order, string earlier, string? given) => new(
        nameof(FromEnvironmentNotEarlier), ErrorKind.InvalidArgument,
        $"-FromEnvironment {from} does not come before {environment} (the order is {List(order)}). Name an earlier environment, such as {earlier}.",
        given);

    public static GovukDeployException FromEnvironmentAndReleaseGiven(string from, string? given) => new(
        nameof(FromEnvironmentAndReleaseGiven), ErrorKind.InvalidArgument,
        $"Give -FromEnvironment or -Release/-Branch, not both: -FromEnvironment {from} deploys whatever {from} runs.", given);

    /// <summary><paramref name="why"/> says what the environment runs instead of a release it could pass on.</summary>
    public static GovukDeployException NothingToPromote(string environment, string why, object? target) => new(
        nameof(NothingToPromote), ErrorKind.InvalidOperation,
        $"There is nothing to promote from {environment}: {why}. Give -Release instead.", target);

    /// <summary>One deploy of several failed in a way no other id covers; the others went on.</summary>
    public static GovukDeployException DeployError(string request, Exception failure) => new(
        nameof(DeployError), ErrorKind.NotSpecified,
        $"Deploying {request} failed: {failure.Message} Get-Deployment shows what was recorded.", request, failure);

    /// <summary>One application's health check failed in a way no other id covers; the others went on.</summary>
    public static GovukDeployException HealthCheckError(string item, string application, Exception failure) => new(
        nameof(HealthCheckError), ErrorKind.NotSpecified,
        $"Checking the health of {item} failed: {failure.Message} Check it again with Test-DeployHealth, or by hand.", application, failure);
}
