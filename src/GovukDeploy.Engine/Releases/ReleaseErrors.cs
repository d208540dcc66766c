using GovukDeploy.Errors;

namespace GovukDeploy.Releases;

/// <summary>The stages Wait-Release goes through, in order.</summary>
public enum ReleaseStage
{
    Ci,
    ReleaseTag,
    IntegrationDeploy,
    SmokeTest,
}

/// <summary>ReleaseWaitTimedOut: the wait ended before the change got through; Stage says where it was.</summary>
public sealed class ReleaseWaitTimeoutException(ReleaseStage stage, string message, object? target)
    : GovukDeployException("ReleaseWaitTimedOut", ErrorKind.OperationTimeout, message, target)
{
    public ReleaseStage Stage { get; } = stage;
}

/// <summary>The errors of following a merged change to its release, each saying what to do next.</summary>
internal static class ReleaseErrors
{
    public static GovukDeployException InvalidSha(string sha) => new(
        "InvalidSha", ErrorKind.InvalidArgument,
        $"'{sha}' is not a commit SHA: give 7 to 40 hexadecimal digits, such as the Sha that Merge-PullRequest returns.", sha);

    public static GovukDeployException NotOnDefaultBranch(Application application, string sha, string branch) => new(
        "CommitNotOnDefaultBranch", ErrorKind.InvalidOperation,
        $"Commit {Short(sha)} is not on {application.Name}'s default branch ({branch}), so CI will never release it. " +
        "Give the merge commit (Merge-PullRequest returns it as Sha), or -PullRequest with the pull request's number.",
        sha);

    public static GovukDeployException CiFailed(Application application, string sha, string branch, CheckResult failed) => new(
        "ReleaseCiFailed", ErrorKind.InvalidResult,
        $"CI on {branch} failed for {application.Name} {Short(sha)} ({failed.Name}: {failed.Detail}), so no release will be made from it. " +
        $"Read the build at {failed.Url ?? "(CI gave no link)"}; fix it in a new pull request (or run CI again if the failure was not the change's fault).",
        failed);

    public static GovukDeployException DeployFailed(Deployment deployment) => new(
        "ReleaseDeployFailed", ErrorKind.InvalidResult,
        $"CI's deploy of {deployment.Application} {deployment.Release} to {deployment.Environment} " +
        $"{(deployment.Status == DeploymentStatus.Aborted ? "was aborted" : "failed")}: {deployment.BuildUrl}. " +
        "Read the build's console there; nothing goes further until a deploy of it succeeds (deploy it again with Invoke-Deploy once the cause is fixed).",
        deployment);

    public static GovukDeployException SmokeTestFailed(SmokeTestResult smoke, string release) => new(
        "ReleaseSmokeTestFailed", ErrorKind.InvalidResult,
        $"The smoke tests after CI's deploy of {smoke.Application} {release} to {smoke.Environment} failed: {smoke.BuildUrl}. " +
        "Look at the failing scenarios and at alerts before deploying this release any further.",
        smoke);

    public static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
