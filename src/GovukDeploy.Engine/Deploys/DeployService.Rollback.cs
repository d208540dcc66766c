using GovukDeploy.Deploys.Gates;
using GovukDeploy.Errors;
using GovukDeploy.Reporting;
using GovukDeploy.Store;

namespace GovukDeploy.Deploys;

/// <summary>
/// Undo-Deployment's engine: find the deploy to undo and the release that ran before it (from the store's
/// history, ours and observed in Jenkins), list the commits it takes out, evaluate the gates in rollback
/// mode, and deploy that release recorded as a rollback linked to the deploy it undoes.
/// </summary>
public sealed partial class DeployService
{
    /// <summary>What a rollback would do, with every gate's verdict; changes nothing (-WhatIf, and what is shown before asking).</summary>
    public async Task<RollbackPlan> PlanRollbackAsync(RollbackRequest request, RollbackLookups lookups, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var (plan, evaluation) = await PrepareRollbackAsync(request, lookups, GateMode.WhatIf, reporter, cancellationToken).ConfigureAwait(false);
        await evaluation.DisposeAsync().ConfigureAwait(false);
        return plan;
    }

    /// <summary>
    /// Rolls back: the gates are enforced (a freeze stops it unless Force, the deploy lock always), then the
    /// target release is deployed and followed like any deploy. Returns the finished rollback deployment.
    /// </summary>
    public async Task<Deployment> UndoAsync(RollbackRequest request, RollbackLookups lookups, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var (plan, evaluation) = await PrepareRollbackAsync(request, lookups, GateMode.Enforce, reporter, cancellationToken).ConfigureAwait(false);
        reporter.Verbose(plan.Summary + ".");
        return await RunAsync(evaluation, reporter, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(RollbackPlan Plan, GateEvaluation Evaluation)> PrepareRollbackAsync(RollbackRequest request, RollbackLookups lookups, GateMode mode,
        IOperationReporter reporter, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw ErrorCatalogue.RollbackReasonRequired(request.Application);
        }

        var environments = Runner.Settings.Environments;
        var environment = environments.FirstOrDefault(e => e.Equals(request.Environment?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw ErrorCatalogue.UnknownEnvironment(request.Environment, environments);
        var store = Runner.Store;
        var application = await store.GetApplicationAsync(request.Application, cancellationToken).ConfigureAwait(false) ?? throw ErrorCatalogue.ApplicationNotFound(request.Application);

        if (lookups.Observe is { } observe)
        {
            // The history must be up to date: an environment whose Jenkins cannot be read has an unknown past too.
            var view = await observe(application, cancellationToken).ConfigureAwait(false);
            if (!view.IsKnown(environment))
            {
                var observation = view.Observation.For(environment);
                throw ErrorCatalogue.DeployedStateUnknown(application.Name, environment, observation.Describe(TimeProvider.System.GetUtcNow()));
            }

            foreach (var note in view.DisagreementsFor(application.Name))
            {
                reporter.Warning(note);
            }
        }

        var history = await store.GetDeploymentsAsync(new DeploymentQuery { Applications = [application.Name], Environment = environment }, cancellationToken).ConfigureAwait(false);
        var (current, target) = Rollbacks.Choose(application, environment, request.Release, history);
        if (request.ExpectedCurrentId is { } expected && current.Id != expected)
        {
            throw ErrorCatalogue.RollbackPlanChanged(request, current);
        }

        ChangeSet? changes = null;
        string? unknown = "The commits were not looked up.";
        if (lookups.ChangesTakenOut is { } takenOut)
        {
            try
            {
                changes = await takenOut(application, current, target, cancellationToken).ConfigureAwait(false);
                unknown = null;
            }
            catch (GovukDeployException e)
            {
                // What goes is information for the people affected; it never holds up putting things right.
                unknown = e.Message;
                reporter.Warning($"The commits this rollback takes out could not be listed: {e.Message}");
            }
        }

        var deploy = new DeployRequest
        {
            Application = application.Name,
            Environment = environment,
            Release = target.Release,
            Sha = target.Sha,
            Force = request.Force,
            Reason = request.Reason.Trim(),
            SmokeTest = request.SmokeTest,
            Timeout = request.Timeout,
            Actor = request.Actor,
            Rollback = true,
            RollsBack = Rollbacks.Reference(current),
        };
        var evaluation = await EvaluateAsync(new GateRequest { Deploy = deploy, RefExists = lookups.RefExists }, mode, cancellationToken).ConfigureAwait(false);
        var plan = new RollbackPlan
        {
            Application = application.Name,
            Environment = environment,
            Reason = deploy.Reason,
            CurrentRelease = current.Release,
            Current = current,
            TargetRelease = target.Release,
            Target = target,
            RollsBack = deploy.RollsBack,
            ChangesTakenOut = changes?.Changes ?? [],
            TotalChangesTakenOut = changes?.TotalCommits ?? 0,
            ChangesUnknown = unknown,
            Gates = evaluation.Verdicts.ToArray(),
        };
        return (plan, evaluation);
    }
}
