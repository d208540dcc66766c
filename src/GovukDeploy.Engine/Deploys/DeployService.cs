using GovukDeploy.Configuration;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.Jenkins;
using GovukDeploy.Reporting;
using GovukDeploy.Store;
using GovukDeploy.Windows;
using NodaTime;

namespace GovukDeploy.Deploys;

/// <summary>
/// Invoke-Deploy's engine: the gates, then the deploy. The cmdlet may evaluate the gates first (to
/// show them for -WhatIf, or to ask about other people's changes) and then run the deploy with the
/// same evaluation, which holds the deploy lock until the deploy has been followed (or handed off).
/// </summary>
public sealed partial class DeployService
{
    public DeployService(DeployGateEvaluator gates, DeployRunner runner)
    {
        Gates = gates;
        Runner = runner;
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
        return new DeployService(gates, new DeployRunner(store, jenkins, settings, releaseApp, SlackAnnouncer.FromConfiguration(configuration)));
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
        BulkDeployer.RunAsync(requests, throttleLimit,
            (request, token) => DeployAsync(request, new PrefixingReporter(reporter, $"[{request.Deploy.Application} {request.Deploy.Environment}] "), token),
            cancellationToken);
}
