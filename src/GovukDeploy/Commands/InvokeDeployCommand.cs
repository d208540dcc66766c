using System.Management.Automation;
using GovukDeploy.Deploys;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.Errors;

namespace GovukDeploy.Commands;

/// <summary>
/// Deploys a release through Jenkins' Deploy_App job after checking every gate (release, promotion
/// order, freeze, window, other people's changes, one deploy at a time), follows it to the end with
/// progress, records it, and tells the Release app. -WhatIf shows every gate's verdict instead.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Deploy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(Deployment), typeof(GateVerdict))]
public sealed class InvokeDeployCommand : GovukDeployCmdlet
{
    private const string Production = "production";
    private readonly List<DeployRequest> _requests = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string? Application { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Environment { get; set; }

    /// <summary>The release tag; default the latest. Release objects bind by their Tag.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Tag")]
    [ValidateNotNullOrEmpty]
    public string? Release { get; set; }

    /// <summary>Deploys a branch to integration instead of a release. Pull requests bind their head branch (HeadBranch).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("HeadBranch")]
    [ValidateNotNullOrEmpty]
    public string? Branch { get; set; }

    /// <summary>The repository the branch is in (pull requests bind theirs); a fork's branch is refused, as Jenkins cannot fetch it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? HeadRepository { get; set; }

    /// <summary>This deploy is confidential although the application is not: others are told the release tag and SHA only.</summary>
    [Parameter]
    public SwitchParameter Confidential { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string DeployTask { get; set; } = "deploy";

    /// <summary>Deploys whatever release this earlier environment runs (observed in its Jenkins), to bring the target up to it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FromEnvironment { get; set; }

    /// <summary>Passes the freeze and window gates (with -Reason, audited) and skips the question about other people's changes.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 500)]
    public string? Reason { get; set; }

    /// <summary>A message posted to the Slack webhook before the deploy.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Announce { get; set; }

    [Parameter]
    public SwitchParameter SmokeTest { get; set; }

    /// <summary>Returns as soon as the build has started; Wait-Deployment follows it.</summary>
    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>Stays around after a successful deploy, checking its health (Test-DeployHealth) until -VerifyFor has passed or it is Unhealthy.</summary>
    [Parameter]
    public SwitchParameter Verify { get; set; }

    /// <summary>How long -Verify checks; default the VerifyForSeconds setting (10 minutes). Implies -Verify.</summary>
    [Parameter]
    public TimeSpan? VerifyFor { get; set; }

    /// <summary>Rolls an unhealthy deploy back (Undo-Deployment), with what failed as the audited reason. Implies -Verify.</summary>
    [Parameter]
    public SwitchParameter RollbackOnUnhealthy { get; set; }

    /// <summary>How long to wait for each deploy once triggered, in seconds; 0 (the default) waits until it ends. Runs out with DeployTimeout.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; }

    /// <summary>How many deploys from the pipeline may run at once.</summary>
    [Parameter]
    [ValidateRange(1, 32)]
    public int ThrottleLimit { get; set; } = 1;

    protected override void ProcessRecordCore()
    {
        if (Branch is not null && Release is not null)
        {
            throw ErrorCatalogue.ReleaseAndBranchGiven(Branch);
        }

        CheckVerify();
        var environment = Engine.RequireEnvironment(Environment!);
        if (FromEnvironment is not null)
        {
            CheckFromEnvironment(environment);
        }

        _requests.Add(new DeployRequest
        {
            Application = Application!,
            Environment = environment,
            Release = Release,
            Branch = Branch,
            BranchRepository = Branch is null ? null : HeadRepository,
            Confidential = Confidential,
            DeployTask = DeployTask,
            Force = Force,
            Reason = Reason,
            Announce = Announce,
            SmokeTest = SmokeTest,
            NoWait = NoWait,
            Timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : null,
            Actor = Engine.Actor,
        });
    }

    protected override void EndProcessingCore()
    {
        var service = Engine.Deploys;
        var ready = new List<GateEvaluation>();
        // An evaluation holds its deploy lock until its deploy has run; any not run are released below.
        var notRun = new HashSet<GateEvaluation>();
        try
        {
            foreach (var request in _requests)
            {
                try
                {
                    if (Prepare(service, request) is { } evaluation)
                    {
                        ready.Add(evaluation);
                        notRun.Add(evaluation);
                    }
                }
                catch (GovukDeployException error)
                {
                    // One refused deploy does not stop the others.
                    WriteError(ToErrorRecord(error));
                }
            }

            GateEvaluation Claim(GateEvaluation evaluation)
            {
                lock (notRun)
                {
                    notRun.Remove(evaluation);
                }

                return evaluation;
            }

            if (ready.Count == 1)
            {
                var outcome = RunOnPipeline((reporter, cancellation) => DeployAndCheckAsync(service, Claim(ready[0]), reporter, cancellation));
                WriteObject(outcome.Deployment);
                if (outcome.Rollback is not null)
                {
                    WriteObject(outcome.Rollback);
                }

                foreach (var problem in outcome.Problems)
                {
                    WriteError(ToErrorRecord(problem));
                }

                return;
            }

            RunStreaming(async (sink, cancellation) =>
            {
                await foreach (var result in BulkDeployer.RunAsync(ready, ThrottleLimit,
                    (evaluation, token) => DeployAndCheckAsync(service, Claim(evaluation), new PrefixingReporter(sink, $"[{evaluation.Request.Application} {evaluation.Request.Environment}] "), token),
                    cancellation).ConfigureAwait(false))
                {
                    if (result.Error is null)
                    {
                        sink.Output(result.Result!.Deployment);
                        if (result.Result.Rollback is not null)
                        {
                            sink.Output(result.Result.Rollback);
                        }

                        foreach (var problem in result.Result.Problems)
                        {
                            sink.Error(problem);
                        }
                    }
                    else if (result.Error is not OperationCanceledException)
                    {
                        // Whatever went wrong with one deploy is reported for it; the others go on.
                        sink.Error(result.Error as GovukDeployException ?? ErrorCatalogue.DeployError(result.Item.Request.ToString(), result.Error));
                    }
                }
            });
        }
        finally
        {
            foreach (var evaluation in notRun)
            {
                Await(_ => evaluation.DisposeAsync().AsTask());
            }
        }
    }

    /// <summary>
    /// Deploys, then what comes after: a failed smoke test is an error, and -Verify checks health for a
    /// while (an Unhealthy or Unknown verdict is an error too), so that -ErrorAction Stop stops a runbook.
    /// </summary>
    private static async Task<Session.DeployOutcome> DeployAndCheckAsync(DeployService service, GateEvaluation evaluation, Reporting.IOperationReporter reporter,
        CancellationToken cancellation, Session.AfterDeployOptions options)
    {
        var deployment = await service.RunAsync(evaluation, reporter, cancellation).ConfigureAwait(false);
        return await Engine.AfterDeployAsync(deployment, options with { Announce = evaluation.Request.Announce, Actor = evaluation.Request.Actor }, reporter, cancellation).ConfigureAwait(false);
    }

    private Task<Session.DeployOutcome> DeployAndCheckAsync(DeployService service, GateEvaluation evaluation, Reporting.IOperationReporter reporter, CancellationToken cancellation) =>
        DeployAndCheckAsync(service, evaluation, reporter, cancellation,
            new Session.AfterDeployOptions(Verify || VerifyFor is not null || RollbackOnUnhealthy, VerifyFor, RollbackOnUnhealthy: RollbackOnUnhealthy));

    /// <summary>-Verify follows the deploy to its end, so it cannot go with -NoWait; it needs something to check health with.</summary>
    private void CheckVerify()
    {
        if (!Verify && VerifyFor is null && !RollbackOnUnhealthy)
        {
            return;
        }

        if (VerifyFor is { } span && (span <= TimeSpan.Zero || span > TimeSpan.FromHours(24)))
        {
            throw ErrorCatalogue.InvalidVerifyFor(span);
        }

        if (NoWait)
        {
            throw ErrorCatalogue.VerifyWithNoWait();
        }

        if (!SmokeTest && !Engine.Health.Settings.AnySourceConfigured)
        {
            throw ErrorCatalogue.HealthNotConfigured();
        }
    }

    /// <summary>Fills in the release, checks the gates and asks what must be asked; null when the user declined.</summary>
    private GateEvaluation? Prepare(DeployService service, DeployRequest request)
    {
        var application = Await(ct => Engine.Applications.GetRequiredAsync(request.Application, ct));
        // Name the deployer by their GitHub login when the token says who they are.
        RunOnPipeline((reporter, ct) => Engine.ResolveGitHubLoginAsync(Engine.GitHub(reporter), ct));
        request = request with { Application = application.Name, Actor = Engine.Actor };
        if (FromEnvironment is not null)
        {
            request = request with { Release = RunOnPipeline((reporter, ct) => WhatRunsInAsync(application, Engine.RequireEnvironment(FromEnvironment), reporter, ct)) };
        }

        if (!request.IsBranchDeploy && request.Release is null)
        {
            var latest = RunOnPipeline((reporter, ct) => Engine.GitHub(reporter).Releases.GetLatestAsync(application, reporter: reporter, cancellationToken: ct))
                ?? throw ErrorCatalogue.NoReleases(application);
            request = request with { Release = latest.Tag, Sha = latest.Sha };
        }

        var target = $"{application.Name} {request.Ref} to {request.Environment}";
        if (WhatIfRequested())
        {
            var verdicts = RunOnPipeline(async (reporter, ct) =>
            {
                await using var evaluation = await service.EvaluateAsync(Engine.GateRequestFor(request, Engine.GitHub(reporter), reporter), GateMode.WhatIf, ct).ConfigureAwait(false);
                return evaluation.Verdicts;
            });
            ShouldProcess(target, "Deploy");
            WriteObject(verdicts, enumerateCollection: true);
            return null;
        }

        // Production deploys ask first (ConfirmImpact High); lower environments only when -Confirm is given.
        var asks = request.Environment.Equals(Production, StringComparison.OrdinalIgnoreCase) || MyInvocation.BoundParameters.ContainsKey("Confirm");
        if (asks && !ShouldProcess(target, "Deploy"))
        {
            return null;
        }

        var enforced = RunOnPipeline((reporter, ct) =>
            service.EvaluateAsync(Engine.GateRequestFor(request, Engine.GitHub(reporter), reporter), GateMode.Enforce, ct));
        foreach (var verdict in enforced.Verdicts)
        {
            WriteVerbose($"Gate {verdict.Gate}: {verdict.Outcome}. {verdict.Detail}");
        }

        if (enforced.OtherPeoplesChanges.Count > 0)
        {
            var list = string.Join(System.Environment.NewLine, enforced.OtherPeoplesChanges.Select(c => "  " + c));
            WriteWarning($"This deploy of {target} ships {enforced.OtherPeoplesChanges.Count} commit(s) by other people; ask them first:{System.Environment.NewLine}{list}");
            if (!Force && !ConfirmOtherPeoplesChanges(target, enforced))
            {
                Await(_ => enforced.DisposeAsync().AsTask());
                return null;
            }
        }

        return enforced;
    }

    /// <summary>-FromEnvironment names a configured environment before the target, and stands alone.</summary>
    private void CheckFromEnvironment(string environment)
    {
        var from = Engine.RequireEnvironment(FromEnvironment!);
        var order = Configuration.EnvironmentNames.ToList();
        if (order.IndexOf(from) >= order.IndexOf(environment))
        {
            throw ErrorCatalogue.FromEnvironmentNotEarlier(from, environment, order, FromEnvironment);
        }

        if (Release is not null || Branch is not null)
        {
            throw ErrorCatalogue.FromEnvironmentAndReleaseGiven(from, FromEnvironment);
        }
    }

    /// <summary>The release an environment runs, observed; refused when it is unknown, a branch, or nothing.</summary>
    private async Task<string> WhatRunsInAsync(Application application, string environment, Reporting.IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var running = await Engine.RunningAsync([application], offline: false, Engine.GitHub(reporter), reporter, cancellationToken).ConfigureAwait(false);
        if (!running.IsKnown(environment))
        {
            throw Engine.DeployedStateUnknown(application, running.Observation.For(environment));
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

    /// <summary>-WhatIf on this command, or inherited from a calling script or function through $WhatIfPreference.</summary>
    private bool WhatIfRequested() =>
        (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && ((SwitchParameter)whatIf).IsPresent)
        || (!MyInvocation.BoundParameters.ContainsKey("WhatIf") && LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference")));

    private bool ConfirmOtherPeoplesChanges(string target, GateEvaluation evaluation)
    {
        try
        {
            return ShouldContinue($"Deploy {target}, including {evaluation.OtherPeoplesChanges.Count} commit(s) by other people?", "Other people's changes");
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            // A host that cannot ask (a runbook) must not deploy other people's code unasked.
            Await(_ => evaluation.DisposeAsync().AsTask());
            throw ErrorCatalogue.OtherPeoplesChangesNotConfirmed(target, ex);
        }
    }
}
