using System.Runtime.CompilerServices;
using GovukDeploy.Deploys;
using GovukDeploy.Errors;
using GovukDeploy.Health;
using GovukDeploy.Observed;
using GovukDeploy.Reporting;

namespace GovukDeploy.Session;

/// <summary>One Test-DeployHealth input: an application and environment, and optionally the time or the deploy to check from.</summary>
public sealed record HealthRequest(string Application, string Environment, DateTimeOffset? Since = null, long? DeploymentId = null)
{
    public override string ToString() => $"{Application} in {Environment}";
}

/// <summary>
/// What Invoke-Deploy does once a deploy has ended: verify (-Verify, -VerifyFor), roll back an unhealthy
/// deploy (-RollbackOnUnhealthy, by <paramref name="Actor"/>), and report the verdict where it was announced.
/// </summary>
public sealed record AfterDeployOptions(bool Verify, TimeSpan? VerifyFor = null, string? Announce = null, bool RollbackOnUnhealthy = false, string Actor = "unknown");

/// <summary>A deploy, its rollback when it was rolled back, and what went wrong after it (a failed smoke test, an unhealthy or unknown verdict), as errors to write.</summary>
public sealed record DeployOutcome(Deployment Deployment, IReadOnlyList<GovukDeployException> Problems, Deployment? Rollback = null);

public sealed partial class EngineServices
{
    private (string Key, DeployHealthService Service)? _health;

    /// <summary>The health checks for the configured Sentry, Icinga and dashboard, made once per session and again when they change.</summary>
    public DeployHealthService Health
    {
        get
        {
            var settings = HealthSettings.FromConfiguration(Configuration);
            var key = string.Join('|', settings.SentryUrl, settings.SentryOrganisation, string.Join(',', settings.SentryProjects), settings.SentryToken?.Reveal(),
                settings.IcingaUrlTemplate, settings.IcingaUser, settings.IcingaPassword?.Reveal(), settings.IcingaServiceFilter, settings.DashboardUrlTemplate);
            lock (_gate)
            {
                if (_health is { } open && open.Key == key)
                {
                    return open.Service;
                }

                _health?.Service.Dispose();
                var service = new DeployHealthService(settings, Clock);
                _health = (key, service);
                return service;
            }
        }
    }

    /// <summary>
    /// Test-DeployHealth: each request checked, up to <paramref name="throttleLimit"/> at once, each as it is
    /// ready. Requests without -Since or a deploy take the newest deploy the store knows once Jenkins' deploy
    /// history has been read (once, for them all); <paramref name="observed"/> hears how that went.
    /// </summary>
    public async IAsyncEnumerable<BulkResult<HealthRequest, DeployHealth>> DeployHealthAsync(IReadOnlyList<HealthRequest> requests, int throttleLimit,
        IOperationReporter reporter, Action<SyncReport>? observed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var health = Health;
        var applications = new Dictionary<string, Application>(StringComparer.OrdinalIgnoreCase);
        var ready = new List<(HealthRequest Request, Application Application)>();
        foreach (var request in requests)
        {
            Application? application = null;
            GovukDeployException? error = null;
            try
            {
                application = applications.GetValueOrDefault(request.Application) ?? await Applications.GetRequiredAsync(request.Application, cancellationToken).ConfigureAwait(false);
                applications[request.Application] = application;
            }
            catch (GovukDeployException e)
            {
                error = e;
            }

            if (error is not null)
            {
                yield return new BulkResult<HealthRequest, DeployHealth>(request, null, error);
                continue;
            }

            ready.Add((request with { Environment = RequireEnvironment(request.Environment) }, application!));
        }

        var toObserve = ready.Where(r => r.Request.Since is null && r.Request.DeploymentId is null).Select(r => r.Application)
            .DistinctBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToList();
        if (toObserve.Count > 0)
        {
            observed?.Invoke(await ObserveAsync(toObserve, offline: false, reporter, cancellationToken).ConfigureAwait(false));
        }

        var store = Store;
        await foreach (var result in BulkDeployer.RunAsync(ready, throttleLimit, async (item, token) =>
        {
            var target = await HealthTarget.ResolveAsync(store, item.Application, item.Request.Environment, item.Request.Since, item.Request.DeploymentId, Now, token).ConfigureAwait(false);
            return await health.CheckAsync(target, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false))
        {
            yield return new BulkResult<HealthRequest, DeployHealth>(result.Item.Request, result.Result, result.Error);
        }
    }

    /// <summary>
    /// After a deploy ended: a failed smoke test is an error (SmokeTestFailed); with -Verify, health is
    /// checked for a while and an Unhealthy or Unknown verdict is an error too (DeployUnhealthy,
    /// DeployHealthUnknown); when the deploy was announced in Slack, the verdict is announced as well.
    /// </summary>
    public async Task<DeployOutcome> AfterDeployAsync(Deployment deployment, AfterDeployOptions options, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var problems = new List<GovukDeployException>();
        if (deployment.Status != DeploymentStatus.Succeeded)
        {
            return new DeployOutcome(deployment, problems);
        }

        if (deployment.SmokeTest == SmokeTestResult.FailedResult)
        {
            problems.Add(ErrorCatalogue.SmokeTestFailed(deployment));
        }

        if (!options.Verify)
        {
            return new DeployOutcome(deployment, problems);
        }

        var health = Health;
        var application = await Applications.GetRequiredAsync(deployment.Application, cancellationToken).ConfigureAwait(false);
        var target = new HealthTarget(application, deployment.Environment, deployment.StartedAt, deployment);
        var verifyFor = options.VerifyFor ?? health.Settings.VerifyFor;
        var last = await DeployVerifier.VerifyAsync(health, target, verifyFor, health.Settings.VerifyInterval, reporter, cancellationToken).ConfigureAwait(false);
        deployment.Health = last;
        Deployment? rollback = null;
        switch (last.Verdict)
        {
            case HealthVerdict.Unhealthy when options.RollbackOnUnhealthy:
                (rollback, var failed) = await RollBackUnhealthyAsync(deployment, last, options.Actor, reporter, cancellationToken).ConfigureAwait(false);
                problems.Add(ErrorCatalogue.DeployUnhealthy(deployment, last, rollback));
                if (failed is not null)
                {
                    problems.Add(failed);
                }

                break;
            case HealthVerdict.Unhealthy:
                problems.Add(ErrorCatalogue.DeployUnhealthy(deployment, last));
                break;
            case HealthVerdict.Unknown:
                problems.Add(ErrorCatalogue.DeployHealthUnknown(deployment, last));
                break;
            default:
                reporter.Information($"{deployment.Application} {deployment.Release} in {deployment.Environment} is healthy after {verifyFor.TotalMinutes:0.#} minute(s): {last.Summary}");
                break;
        }

        if (!string.IsNullOrWhiteSpace(options.Announce) && SlackAnnouncer.FromConfiguration(Configuration) is { } slack)
        {
            using (slack)
            {
                try
                {
                    var failing = last.Checks.SelectMany(c => c.Items.Where(i => i.Fails).Select(i => $"{c.Name} {i}")).Take(3).ToList();
                    var text = deployment.Confidential
                        // A confidential deploy tells Slack the verdict only: error titles and details could describe the fix.
                        ? $"A confidential change to {deployment.Application} ({deployment.Release}) in {deployment.Environment}: {last.Verdict} after {verifyFor.TotalMinutes:0.#} minute(s) of checks."
                        : $"{deployment.DeployedBy} deployed {deployment.Application} {deployment.Release} to {deployment.Environment}: {last.Verdict} after {verifyFor.TotalMinutes:0.#} minute(s) of checks. {last.Summary}" +
                            (failing.Count == 0 ? "" : " " + string.Join("; ", failing));
                    // The announcer escapes everything it sends for Slack; what Sentry and Icinga say is data.
                    await slack.AnnounceAsync(UntrustedText.Clean(text, 1500), cancellationToken).ConfigureAwait(false);
                }
                catch (GovukDeployException e)
                {
                    reporter.Warning(e.Message);
                }
            }
        }

        return new DeployOutcome(deployment, problems, rollback);
    }

    /// <summary>
    /// -RollbackOnUnhealthy: Undo-Deployment of the deploy just made, with what failed as the audited reason.
    /// A rollback that is refused or fails is returned as the error to write; the unhealthy deploy stays reported.
    /// </summary>
    private async Task<(Deployment? Rollback, GovukDeployException? Failed)> RollBackUnhealthyAsync(Deployment deployment, DeployHealth health, string actor,
        IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var failed = string.Join("; ", health.Checks.Where(c => c.Outcome == HealthOutcome.Failed).Select(c => $"{c.Name}: {c.Detail}"));
        var request = new RollbackRequest
        {
            Application = deployment.Application,
            Environment = deployment.Environment,
            Reason = UntrustedText.Clean($"Unhealthy after deploy #{deployment.Id} of {deployment.Release} (Invoke-Deploy -RollbackOnUnhealthy): {failed}", 500),
            Actor = actor,
            ExpectedCurrentId = deployment.Id,
        };
        reporter.Warning($"{deployment.Application} {deployment.Release} is unhealthy in {deployment.Environment}; rolling back. {failed}");
        try
        {
            return (await UndoAsync(request, reporter, cancellationToken).ConfigureAwait(false), null);
        }
        catch (GovukDeployException e)
        {
            return (null, ErrorCatalogue.RollbackFailed(deployment, e));
        }
    }
}
