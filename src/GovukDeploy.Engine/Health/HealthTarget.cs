using GovukDeploy.Store;

namespace GovukDeploy.Health;

/// <summary>What to check: an application in an environment, from a time, and the deploy that began then (when known).</summary>
public sealed record HealthTarget(Application Application, string Environment, DateTimeOffset Since, Deployment? Deployment)
{
    /// <summary>
    /// From the deploy given by id; else from <paramref name="since"/>; else from the start of the newest
    /// successful deploy to the environment that the store knows (ours, or observed in Jenkins).
    /// </summary>
    public static async Task<HealthTarget> ResolveAsync(IDeployStore store, Application application, string environment, DateTimeOffset? since,
        long? deploymentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (since > now)
        {
            throw Errors.ErrorCatalogue.SinceInFuture(since.Value);
        }

        if (deploymentId is { } id)
        {
            var deployment = await store.GetDeploymentAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw Errors.ErrorCatalogue.DeploymentNotFound(id);
            if (!deployment.Application.Equals(application.Name, StringComparison.OrdinalIgnoreCase)
                || !deployment.Environment.Equals(environment, StringComparison.OrdinalIgnoreCase))
            {
                throw Errors.ErrorCatalogue.DeploymentMismatch(deployment, application.Name, environment);
            }

            return new HealthTarget(application, environment, since ?? deployment.StartedAt, deployment);
        }

        var latest = await store.GetLatestSuccessfulDeploymentAsync(application.Name, environment, cancellationToken).ConfigureAwait(false);
        if (since is { } from)
        {
            // The smoke test is that of the newest deploy, if it began inside the window asked about.
            return new HealthTarget(application, environment, from, latest is not null && latest.StartedAt >= from ? latest : null);
        }

        return latest is null
            ? throw Errors.ErrorCatalogue.NoDeployToCheck(application.Name, environment)
            : new HealthTarget(application, environment, latest.StartedAt, latest);
    }
}
