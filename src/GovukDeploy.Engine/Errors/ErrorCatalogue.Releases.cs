using GovukDeploy.Releases;

namespace GovukDeploy.Errors;

/// <summary>Following a merged change through CI to its release (Wait-Release).</summary>
public static partial class ErrorCatalogue
{
    public static GovukDeployException InvalidSha(string sha) => new(
        nameof(InvalidSha), ErrorKind.InvalidArgument,
        $"'{sha}' is not a commit SHA: give 7 to 40 hexadecimal digits, such as the Sha that Merge-PullRequest returns.", sha);

    public static GovukDeployException CommitNotOnDefaultBranch(Application application, string sha, string branch) => new(
        nameof(CommitNotOnDefaultBranch), ErrorKind.InvalidOperation,
        $"Commit {ShortSha(sha)} is not on {application.Name}'s default branch ({branch}), so CI will never release it. " +
        "Give the merge commit (Merge-PullRequest returns it as Sha), or -PullRequest with the pull request's number.",
        sha);

    public static GovukDeployException ReleaseCiFailed(Application application, string sha, string branch, CheckResult failed) => new(
        nameof(ReleaseCiFailed), ErrorKind.InvalidResult,
        $"CI on {branch} failed for {application.Name} {ShortSha(sha)} ({failed.Name}: {failed.Detail}), so no release will be made from it. " +
        $"Read the build at {failed.Url ?? "(CI gave no link)"}; fix it in a new pull request (or run CI again if the failure was not the change's fault).",
        failed);

    public static GovukDeployException ReleaseDeployFailed(Deployment deployment) => new(
        nameof(ReleaseDeployFailed), ErrorKind.InvalidResult,
        $"CI's deploy of {deployment.Application} {deployment.Release} to {deployment.Environment} " +
        $"{(deployment.Status == DeploymentStatus.Aborted ? "was aborted" : "failed")}: {deployment.BuildUrl}. " +
        "Read the build's console there; nothing goes further until a deploy of it succeeds (deploy it again with Invoke-Deploy once the cause is fixed).",
        deployment);

    public static GovukDeployException ReleaseSmokeTestFailed(SmokeTestResult smoke, string release) => new(
        nameof(ReleaseSmokeTestFailed), ErrorKind.InvalidResult,
        $"The smoke tests after CI's deploy of {smoke.Application} {release} to {smoke.Environment} failed: {smoke.BuildUrl}. " +
        "Look at the failing scenarios and at alerts before deploying this release any further.",
        smoke);

    /// <summary>The wait ended before the change got through; the exception's Stage says where it was.</summary>
    public static ReleaseWaitTimeoutException ReleaseWaitTimedOut(ReleaseStage stage, string application, string sha, string waited, string waitingFor, string seen) => new(
        nameof(ReleaseWaitTimedOut), ErrorKind.OperationTimeout, stage,
        $"Gave up waiting for {application} {ShortSha(sha)} after {waited}, while waiting for {waitingFor}: {seen}. " +
        "Wait longer with -TimeoutSec; running Wait-Release again picks up where it is.",
        sha);

    private static string ShortSha(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
