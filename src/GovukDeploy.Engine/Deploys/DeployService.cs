using System.Runtime.CompilerServices;
using GovukDeploy.Configuration;
using GovukDeploy.Errors;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.Jenkins;
using GovukDeploy.Reporting;
using GovukDeploy.Store;
using GovukDeploy.DeployWindows;
using NodaTime;

namespace GovukDeploy.Deploys;

/// <summary>
/// Invoke-Deploy's engine: the gates, then the deploy. The cmdlet may evaluate the gates first (to
/// show them for -WhatIf, or to ask about other people's changes) and then run the deploy with the
/// same evaluation, which holds the deploy lock until the deploy has been followed (or handed off).
/// </summary>
public sealed partial class DeployService : IDisposable
{
    // The clients this service built for itself (from the configuration), and so disposes; never a caller's.
    private readonly IDisposable?[] _owned;

    public DeployService(DeployGateEvaluator gates, DeployRunner runner)
        : this(gates, runner, [])
    {
    }

    private DeployService(DeployGateEvaluator gates, DeployRunner runner, IDisposable?[] owned)
    {
        Gates = gates;
        Runner = runner;
        _owned = owned;
    }

    /// <summary>
    /// The usual wiring from the configuration: each environment's Jenkins (JenkinsUrl, JENKINS_USER,
    /// JENKINS_API_TOKEN), the job names, the environments, and, when configured, the Release app
    /// (a freeze source and where deploys are recorded) and the Slack webhook.
    /// </summary>
    public static DeployService FromConfiguration(DeployConfiguration configuration, IDeployStore store, DeployWindowService windows, IClock clock,
        JenkinsClientOptions? jenkinsOptions = null)
    {
        var settings = DeploySettings.FromConfiguration(configuration);
        var jenkins = new JenkinsClientFactory(JenkinsConnection.FromConfiguration(configuration), jenkinsOptions);
        var releaseApp = ReleaseAppClient.FromConfiguration(configuration);
        var gates = new DeployGateEvaluator(store, windows, clock, settings, releaseApp,
            (environment, token) => jenkins.For(environment).GetEstimatedDurationAsync(settings.DeployJobName, token));
        var slack = SlackAnnouncer.FromConfiguration(configuration);
        return new DeployService(gates, new DeployRunner(store, jenkins, settings, releaseApp, slack), [jenkins, releaseApp, slack]);
    }

    /// <summary>Disposes the Jenkins, Release app and Slack clients this service built from the configuration.</summary>
    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned?.Dispose();
        }
    }

    public DeployGateEvaluator Gates { get; }
    public DeployRunner Runner { get; }

    public Task<GateEvaluation> EvaluateAsync(GateRequest request, GateMode mode, CancellationToken cancellationToken) =>
        Gates.EvaluateAsync(request, mode, cancellationToken);

    /// <summary>Runs a deploy whose gates passed (an enforced evaluation); releases its lock when done.</summary>
    public async Task<Deployment> RunAsync(GateEvaluation evaluation, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await using (evaluation)
        {
            if (evaluation.Lock is null || evaluation.Application is null || !evaluation.Passed)
            {
                throw new InvalidOperationException("Run a deploy only with an enforced gate evaluation that passed.");
            }

            return await Runner.RunAsync(evaluation.Request, evaluation.Application, evaluation.Verdicts, reporter, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gates then deploy, without asking anyone anything (automation).</summary>
    public async Task<Deployment> DeployAsync(GateRequest request, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var evaluation = await EvaluateAsync(request, GateMode.Enforce, cancellationToken).ConfigureAwait(false);
        return await RunAsync(evaluation, reporter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Many deploys, up to <paramref name="throttleLimit"/> at once, each result as it finishes.</summary>
    public IAsyncEnumerable<BulkResult<GateRequest, Deployment>> DeployManyAsync(IEnumerable<GateRequest> requests, int throttleLimit,
        IOperationReporter reporter, CancellationToken cancellationToken) =>
        DeployManyAsync(requests.ToList(), new DeployManyOptions { ThrottleLimit = throttleLimit }, (_, deployment, _, _) => Task.FromResult(deployment), reporter, cancellationToken);

    /// <summary>
    /// Invoke-Deploy's path: first each deploy's gates, in order, each verdict reported as a verbose line,
    /// then the question (<see cref="DeployManyOptions.Confirm"/>), so that a refusing gate wins over a
    /// question that cannot be asked; then the confirmed deploys, up to ThrottleLimit at once, each followed by
    /// <paramref name="after"/> and yielded as it finishes. A refused deploy is yielded with its error and
    /// does not stop the others; a declined one is left out. Every lock not used by a deploy is released.
    /// </summary>
    public async IAsyncEnumerable<BulkResult<GateRequest, TResult>> DeployManyAsync<TResult>(IReadOnlyList<GateRequest> requests, DeployManyOptions options,
        Func<GateEvaluation, Deployment, IOperationReporter, CancellationToken, Task<TResult>> after, IOperationReporter reporter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ready = new List<(GateRequest Request, GateEvaluation Evaluation)>();
        // An evaluation holds its deploy lock until its deploy has run; those never run are released at the end.
        var notRun = new HashSet<GateEvaluation>();
        try
        {
            foreach (var request in requests)
            {
                var console = ConsoleFor(request.Deploy, requests.Count, reporter);
                GateEvaluation? evaluation = null;
                GovukDeployException? refused = null;
                var confirmed = false;
                try
                {
                    evaluation = await EvaluateAsync(request, GateMode.Enforce, cancellationToken).ConfigureAwait(false);
                    foreach (var verdict in evaluation.Verdicts)
                    {
                        console.Verbose($"Gate {verdict.Gate}: {verdict.Outcome}. {verdict.Detail}");
                    }

                    if (evaluation.Lock?.TakeoverWarning is { } takeover)
                    {
                        console.Warning(takeover);
                    }

                    if (evaluation.OtherPeoplesChanges.Count > 0)
                    {
                        console.Warning($"This deploy of {evaluation.Request} ships {evaluation.OtherPeoplesChanges.Count} commit(s) by other people; ask them first:" +
                            string.Concat(evaluation.OtherPeoplesChanges.Select(c => System.Environment.NewLine + "  " + c)));
                    }

                    confirmed = options.Confirm is null || await options.Confirm(evaluation, cancellationToken).ConfigureAwait(false);
                }
                catch (GovukDeployException e)
                {
                    refused = e;
                }
                finally
                {
                    if (!confirmed && evaluation is not null)
                    {
                        await evaluation.DisposeAsync().ConfigureAwait(false);
                    }
                }

                if (refused is not null)
                {
                    yield return new BulkResult<GateRequest, TResult>(request, default, refused);
                }
                else if (confirmed)
                {
                    ready.Add((request, evaluation!));
                    notRun.Add(evaluation!);
                }
            }

            await foreach (var result in BulkDeployer.RunAsync(ready, options.ThrottleLimit, async (item, token) =>
            {
                lock (notRun)
                {
                    notRun.Remove(item.Evaluation);
                }

                var console = ConsoleFor(item.Request.Deploy, requests.Count, reporter);
                var deployment = await RunAsync(item.Evaluation, console, token).ConfigureAwait(false);
                return await after(item.Evaluation, deployment, console, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false))
            {
                yield return new BulkResult<GateRequest, TResult>(result.Item.Request, result.Result, result.Error);
            }
        }
        finally
        {
            foreach (var evaluation in notRun)
            {
                await evaluation.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Where one deploy reports: marked with the deploy when there are several, so that interleaved consoles can be told apart.</summary>
    private static IOperationReporter ConsoleFor(DeployRequest deploy, int deploys, IOperationReporter reporter) =>
        deploys > 1 ? new PrefixingReporter(reporter, $"[{deploy.Application} {deploy.Environment}] ") : reporter;
}
