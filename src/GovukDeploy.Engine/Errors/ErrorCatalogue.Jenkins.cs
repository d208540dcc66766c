namespace GovukDeploy.Errors;

/// <summary>Jenkins: its address, its jobs, builds and queue. Messages name the Jenkins and the job, never a token.</summary>
public static partial class ErrorCatalogue
{
    public static GovukDeployException JenkinsUrlMissing(string? urlTemplate) => new(
        nameof(JenkinsUrlMissing), ErrorKind.InvalidOperation,
        "No Jenkins address is configured. Set one with 'Set-GovukDeployConfiguration -JenkinsUrl https://deploy.{environment}.example/'.", urlTemplate);

    public static GovukDeployException JenkinsUrlInvalid(string address, string environment) => new(
        nameof(JenkinsUrlInvalid), ErrorKind.InvalidArgument,
        $"The Jenkins address '{address}' for {environment} is not an http(s) URL. Fix it with 'Set-GovukDeployConfiguration -JenkinsUrl'.", address);

    public static GovukDeployException JenkinsUrlMismatch(string url, string environment, Uri jenkins) => new(
        nameof(JenkinsUrlMismatch), ErrorKind.InvalidArgument,
        $"{url} is not on the {environment} Jenkins ({jenkins}). Check -JenkinsUrl for {environment}.", url);

    /// <summary><paramref name="setting"/> names where the value came from, such as "DeployJobName".</summary>
    public static GovukDeployException InvalidJobName(string setting, string? value, string? problem = null) => new(
        nameof(InvalidJobName), ErrorKind.InvalidArgument,
        $"{setting} '{value}' is not a Jenkins job name{(problem is null ? "" : $" ({problem})")}. Use the job's name, with folders separated by '/', such as 'Deploy_App' or 'deploy/Deploy_App'.", value);

    public static GovukDeployException JenkinsUnreachable(Uri jenkins, string what, Exception? inner) => new(
        nameof(JenkinsUnreachable), ErrorKind.ConnectionError,
        $"Jenkins at {jenkins} did not answer ({what}) after several tries. Check that it is up and that -JenkinsUrl is right, then try again.",
        jenkins.ToString(), inner);

    public static GovukDeployException JenkinsAuthenticationFailed(Uri jenkins) => new(
        nameof(JenkinsAuthenticationFailed), ErrorKind.AuthenticationError,
        $"Jenkins at {jenkins} refused the credentials. Check JENKINS_USER and JENKINS_API_TOKEN (create a token under your Jenkins user's Configure page).",
        jenkins.ToString());

    public static GovukDeployException JenkinsPermissionDenied(Uri jenkins, string what) => new(
        nameof(JenkinsPermissionDenied), ErrorKind.PermissionDenied,
        $"Jenkins at {jenkins} did not allow {what}. Sign in with an API token (JENKINS_USER and JENKINS_API_TOKEN) of a user who may build the job.",
        jenkins.ToString());

    public static GovukDeployException JenkinsJobNotFound(Uri jenkins, string job) => new(
        nameof(JenkinsJobNotFound), ErrorKind.ObjectNotFound,
        $"Jenkins at {jenkins} has no job '{job}'. Check the job name (folders separated by '/') with 'Set-GovukDeployConfiguration'.",
        job);

    public static GovukDeployException JenkinsBuildNotFound(string buildUrl) => new(
        nameof(JenkinsBuildNotFound), ErrorKind.ObjectNotFound,
        $"Jenkins has no build at {buildUrl}. It may have been deleted; check the job's history.", buildUrl);

    public static GovukDeployException JenkinsRequestFailed(Uri jenkins, string what, int status) => new(
        nameof(JenkinsRequestFailed), ErrorKind.InvalidResult,
        $"Jenkins at {jenkins} answered {status} to {what}. Look at Jenkins' own log, then try again.",
        jenkins.ToString());

    public static GovukDeployException DeployQueueCancelled(string queueUrl, string job) => new(
        nameof(DeployQueueCancelled), ErrorKind.OperationStopped,
        $"The queued {job} build was cancelled in Jenkins before it started ({queueUrl}); nothing was deployed. Start it again when ready.",
        queueUrl);

    public static GovukDeployException JenkinsQueueItemGone(string queueUrl) => new(
        nameof(JenkinsQueueItemGone), ErrorKind.ObjectNotFound,
        $"Jenkins no longer knows the queue item {queueUrl}. Look in the job's build history for the build it became.",
        queueUrl);

    public static GovukDeployException JenkinsTriggerOutcomeUnknown(Uri jenkins, string job, Exception? inner) => new(
        nameof(JenkinsTriggerOutcomeUnknown), ErrorKind.OperationTimeout,
        $"The request that starts {job} on {jenkins} got no answer, and no build with the same parameters could be found. Look at the job's queue and recent builds in Jenkins before trying again, so as not to deploy twice.",
        job, inner);
}
