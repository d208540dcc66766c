using GovukDeploy.Errors;

namespace GovukDeploy.Jenkins;

/// <summary>The errors the Jenkins client raises. Messages name the Jenkins and the job, never a token.</summary>
internal static class JenkinsErrors
{
    public static GovukDeployException Unreachable(Uri jenkins, string what, Exception? inner) => new(
        "JenkinsUnreachable", ErrorKind.ConnectionError,
        $"Jenkins at {jenkins} did not answer ({what}) after several tries. Check that it is up and that -JenkinsUrl is right, then try again.",
        jenkins.ToString(), inner);

    public static GovukDeployException AuthenticationFailed(Uri jenkins) => new(
        "JenkinsAuthenticationFailed", ErrorKind.AuthenticationError,
        $"Jenkins at {jenkins} refused the credentials. Check JENKINS_USER and JENKINS_API_TOKEN (create a token under your Jenkins user's Configure page).",
        jenkins.ToString());

    public static GovukDeployException PermissionDenied(Uri jenkins, string what) => new(
        "JenkinsPermissionDenied", ErrorKind.PermissionDenied,
        $"Jenkins at {jenkins} did not allow {what}. Sign in with an API token (JENKINS_USER and JENKINS_API_TOKEN) of a user who may build the job.",
        jenkins.ToString());

    public static GovukDeployException JobNotFound(Uri jenkins, string job) => new(
        "JenkinsJobNotFound", ErrorKind.ObjectNotFound,
        $"Jenkins at {jenkins} has no job '{job}'. Check the job name (folders separated by '/') with 'Set-GovukDeployConfiguration'.",
        job);

    public static GovukDeployException BadAnswer(Uri jenkins, string what, int status) => new(
        "JenkinsRequestFailed", ErrorKind.InvalidResult,
        $"Jenkins at {jenkins} answered {status} to {what}. Look at Jenkins' own log, then try again.",
        jenkins.ToString());

    public static GovukDeployException QueueCancelled(string queueUrl, string job) => new(
        "DeployQueueCancelled", ErrorKind.OperationStopped,
        $"The queued {job} build was cancelled in Jenkins before it started ({queueUrl}); nothing was deployed. Start it again when ready.",
        queueUrl);

    public static GovukDeployException QueueItemGone(string queueUrl) => new(
        "JenkinsQueueItemGone", ErrorKind.ObjectNotFound,
        $"Jenkins no longer knows the queue item {queueUrl}. Look in the job's build history for the build it became.",
        queueUrl);

    public static GovukDeployException TriggerOutcomeUnknown(Uri jenkins, string job, Exception? inner) => new(
        "JenkinsTriggerOutcomeUnknown", ErrorKind.OperationTimeout,
        $"The request that starts {job} on {jenkins} got no answer, and no build with the same parameters could be found. Look at the job's queue and recent builds in Jenkins before trying again, so as not to deploy twice.",
        job, inner);
}
