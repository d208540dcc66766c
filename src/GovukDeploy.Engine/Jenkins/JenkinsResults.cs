namespace GovukDeploy.Jenkins;

/// <summary>What a Jenkins build's result means for a deploy.</summary>
public static class JenkinsResults
{
    /// <summary>
    /// SUCCESS succeeded; ABORTED and NOT_BUILT were stopped; anything else (FAILURE, UNSTABLE, a result
    /// this module does not know) failed, so that nothing unrecognised ever counts as deployed.
    /// </summary>
    public static DeploymentStatus ToStatus(bool building, string? result) =>
        building ? DeploymentStatus.InProgress : result switch
        {
            "SUCCESS" => DeploymentStatus.Succeeded,
            "ABORTED" or "NOT_BUILT" => DeploymentStatus.Aborted,
            _ => DeploymentStatus.Failed,
        };
}
