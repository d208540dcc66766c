using System.Runtime.CompilerServices;
using GovukDeploy.Deploys;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.Errors;
using GovukDeploy.GitHub;
using GovukDeploy.Reporting;

namespace GovukDeploy.Session;

/// <summary>Invoke-Deploy's orchestration: the one path from requests to deploys, which the cmdlet only feeds and shows.</summary>
public sealed partial class EngineServices
{
    /// <summary>
    /// Deploys each request: fills in what was left open (<see cref="PrepareDeployAsync"/>), then
    /// <see cref="DeployService.DeployManyAsync{TResult}"/> (the gates, the question, the deploys), then what
    /// comes after each deploy (<see cref="AfterDeployAsync"/> with <paramref name="after"/>). Each outcome or
    /// error is yielded as it is known; one refused or failed deploy does not stop the others.
    /// </summary>
    public async IAsyncEnumerable<BulkResult<DeployRequest, DeployOutcome>> DeployManyAsync(IReadOnlyList<DeployRequest> requests, DeployManyOptions options,
        AfterDeployOptions after, IOperationReporter reporter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var gitHub = GitHub(reporter);
        var gateRequests = new List<GateRequest>();
        await foreach (var prepared in PrepareAllAsync(requests, gitHub, reporter, cancellationToken).ConfigureAwait(false))
        {
            if (prepared.Error is not null)
            {
                yield return new BulkResult<DeployRequest, DeployOutcome>(prepared.Item, null, prepared.Error);
            }
            else
            {
                gateRequests.Add(GateRequestFor(prepared.Result!, gitHub, reporter));
            }
        }

        var deploys = Deploys;
        await foreach (var result in deploys.DeployManyAsync(gateRequests, options,
            (evaluation, deployment, console, token) => AfterDeployAsync(deployment,
                after with { Announce = evaluation.Request.Announce, Actor = evaluation.Request.Actor }, console, token),
            reporter, cancellationToken).ConfigureAwait(false))
        {
            yield return new BulkResult<DeployRequest, DeployOutcome>(result.Item.Deploy, result.Result, result.Error switch
            {
                null or GovukDeployException or OperationCanceledException => result.Error,
                // Whatever else went wrong with one deploy is reported for it, with a stable ErrorId.
                var unexpected => ErrorCatalogue.DeployError(result.Item.Deploy.ToString(), unexpected),
            });
        }
    }

    /// <summary>
    /// Invoke-Deploy -WhatIf: every gate of each request, evaluated without stopping and changing nothing,
    /// each verdict marked with its application and what the deploy would do ("would deploy" or
    /// "would be refused: Gate").
    /// </summary>
    public async IAsyncEnumerable<BulkResult<DeployRequest, IReadOnlyList<GateVerdict>>> WhatIfDeployAsync(IReadOnlyList<DeployRequest> requests,
        IOperationReporter reporter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var gitHub = GitHub(reporter);
        var deploys = Deploys;
        await foreach (var prepared in PrepareAllAsync(requests, gitHub, reporter, cancellationToken).ConfigureAwait(false))
        {
            if (prepared.Error is not null)
            {
                yield return new BulkResult<DeployRequest, IReadOnlyList<GateVerdict>>(prepared.Item, null, prepared.Error);
                continue;
            }

            var request = prepared.Result!;
            IReadOnlyList<GateVerdict> verdicts;
            var evaluation = await deploys.EvaluateAsync(GateRequestFor(request, gitHub, reporter), GateMode.WhatIf, cancellationToken).ConfigureAwait(false);
            await using (evaluation.ConfigureAwait(false))
            {
                var decision = GateVerdict.DecisionFor(evaluation.Verdicts);
                verdicts = evaluation.Verdicts.Select(v => v.About(request.Application, request.Environment, request.Ref, decision)).ToList();
            }

            yield return new BulkResult<DeployRequest, IReadOnlyList<GateVerdict>>(request, verdicts, null);
        }
    }

    private async IAsyncEnumerable<BulkResult<DeployRequest, DeployRequest>> PrepareAllAsync(IReadOnlyList<DeployRequest> requests, GitHubConnection gitHub,
        IOperationReporter reporter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var request in requests)
        {
            DeployRequest? prepared = null;
            GovukDeployException? error = null;
            try
            {
                prepared = await PrepareDeployAsync(request, gitHub, reporter, cancellationToken).ConfigureAwait(false);
            }
            catch (GovukDeployException e)
            {
                error = e;
            }

            yield return new BulkResult<DeployRequest, DeployRequest>(request, prepared, error);
        }
    }

    /// <summary>
    /// Fills in what a request left open: the catalogue's spelling of the application, the session's actor,
    /// and the release: what <see cref="DeployRequest.FromEnvironment"/> runs, else the latest release tag.
    /// </summary>
    public async Task<DeployRequest> PrepareDeployAsync(DeployRequest request, GitHubConnection gitHub, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var application = await Applications.GetRequiredAsync(request.Application, cancellationToken).ConfigureAwait(false);
        request = request with { Application = application.Name, Actor = await ResolveActorAsync(reporter, cancellationToken).ConfigureAwait(false) };
        if (request.FromEnvironment is { } from)
        {
            request = request with { Release = await WhatRunsInAsync(application, RequireEnvironment(from), gitHub, reporter, cancellationToken).ConfigureAwait(false) };
        }

        if (!request.IsBranchDeploy && request.Release is null)
        {
            var latest = await gitHub.Releases.GetLatestAsync(application, reporter: reporter, cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw ErrorCatalogue.NoReleases(application);
            request = request with { Release = latest.Tag, Sha = latest.Sha };
        }

        return request;
    }

    /// <summary>The release an environment runs, observed; refused when it is unknown, a branch, or nothing.</summary>
    private async Task<string> WhatRunsInAsync(Application application, string environment, GitHubConnection gitHub, IOperationReporter reporter,
        CancellationToken cancellationToken)
    {
        var running = await RunningAsync([application], offline: false, gitHub, reporter, cancellationToken).ConfigureAwait(false);
        if (!running.IsKnown(environment))
        {
            throw DeployedStateUnknown(application, running.Observation.For(environment));
        }

        var deployment = running.Get(application.Name, environment)
            ?? throw ErrorCatalogue.NothingToPromote(environment, $"{application.Name} has no deploy there (none in its Jenkins history or the store)", application.Name);
        if (deployment.IsBranchDeploy)
        {
            throw ErrorCatalogue.NothingToPromote(environment, $"it runs the branch {deployment.Release} of {application.Name}, not a release, and branches are never promoted", deployment.Release);
        }

        reporter.Verbose($"{application.Name}: {environment} runs {deployment.Release} ({deployment.Source}, by {deployment.DeployedBy}); deploying that.");
        return deployment.Release;
    }
}
