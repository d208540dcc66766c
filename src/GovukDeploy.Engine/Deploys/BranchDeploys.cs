using GovukDeploy.Store;

namespace GovukDeploy.Deploys;

/// <summary>Which branch deploy, if any, tried a pull request's head on the first environment.</summary>
public static class BranchDeploys
{
    /// <summary>How many of an application's newest branch deploys are searched.</summary>
    public const int Searched = 200;

    /// <summary>
    /// Sets each pull request's BranchDeploy: the newest branch deploy to <paramref name="environment"/> of its head
    /// branch, or of its head commit (a confidential branch deploy is recorded by its commit), from one store read.
    /// </summary>
    public static async Task AttachAsync(IDeployStore store, Application application, IReadOnlyList<PullRequest> pullRequests, string environment,
        CancellationToken cancellationToken)
    {
        if (pullRequests.Count == 0)
        {
            return;
        }

        var deploys = await store.GetDeploymentsAsync(new DeploymentQuery
        {
            Applications = [application.Name],
            Environment = environment,
            BranchDeploysOnly = true,
            Last = Searched,
        }, cancellationToken).ConfigureAwait(false);
        foreach (var pullRequest in pullRequests)
        {
            pullRequest.BranchDeploy = deploys.FirstOrDefault(d => Matches(d, pullRequest));
        }
    }

    private static bool Matches(Deployment deployment, PullRequest pullRequest) =>
        (!pullRequest.IsFork && !string.IsNullOrEmpty(pullRequest.HeadBranch) && string.Equals(deployment.Release, pullRequest.HeadBranch, StringComparison.Ordinal))
        || string.Equals(deployment.Sha ?? deployment.Release, pullRequest.HeadSha, StringComparison.OrdinalIgnoreCase);
}
