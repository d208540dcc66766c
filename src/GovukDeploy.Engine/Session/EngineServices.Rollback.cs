using GovukDeploy.Deploys;
using GovukDeploy.GitHub;
using GovukDeploy.Reporting;

namespace GovukDeploy.Session;

/// <summary>Rolling back and stopping deploys, wired to this session's GitHub, Jenkins and store.</summary>
public sealed partial class EngineServices
{
    /// <summary>
    /// What a rollback asks GitHub and Jenkins: that the release tag exists, what each environment ran
    /// (Jenkins' history brought into the store first), and the commits the rollback takes out
    /// (GitHub's compare from the target release to the current one).
    /// </summary>
    public RollbackLookups RollbackLookupsFor(GitHubConnection gitHub, IOperationReporter reporter) => new()
    {
        RefExists = (application, tag, cancellationToken) => gitHub.Refs.TagExistsAsync(application, tag, reporter, cancellationToken),
        Observe = (application, cancellationToken) => RunningAsync([application], offline: false, gitHub, reporter, cancellationToken),
        ChangesTakenOut = async (application, current, target, cancellationToken) =>
        {
            await ResolveActorAsync(reporter, cancellationToken).ConfigureAwait(false);
            return await gitHub.Changes.GetUndeployedAsync(application, current.Environment, target.Sha ?? target.Release, current.Sha ?? current.Release,
                reporter: reporter, cancellationToken: cancellationToken).ConfigureAwait(false);
        },
    };

    /// <summary>Undo-Deployment -WhatIf: which deploy would be undone, the release it returns to, the commits taken out, and every gate's verdict.</summary>
    public Task<RollbackPlan> PlanRollbackAsync(RollbackRequest request, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Deploys.PlanRollbackAsync(request, RollbackLookupsFor(GitHub(reporter), reporter), reporter, cancellationToken);

    /// <summary>
    /// Rolls an application back in an environment to the release that ran there before (or to
    /// request.Release), recorded as a rollback of the current deploy and audited with request.Reason.
    /// Throws the refusing gate's error (a freeze without Force, the deploy lock), NothingToUndo,
    /// NoPreviousRelease or RollbackReleaseNotDeployedBefore; DeployFailed if the rollback's build fails.
    /// </summary>
    public Task<Deployment> UndoAsync(RollbackRequest request, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Deploys.UndoAsync(request, RollbackLookupsFor(GitHub(reporter), reporter), reporter, cancellationToken);

    /// <summary>Stops a deploy in progress (its Jenkins build or queue item) and records how it ended; see DeployRunner.StopAsync.</summary>
    public Task<Deployment> StopAsync(Deployment deployment, string? reason, bool force, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Deploys.Runner.StopAsync(deployment, Actor, reason, force, reporter, cancellationToken);
}
