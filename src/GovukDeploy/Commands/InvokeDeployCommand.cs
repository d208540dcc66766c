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
[Cmdlet(VerbsLifecycle.Invoke, "Deploy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ReleaseSet, HelpUri = ProjectLinks.DocsRoot + "Invoke-Deploy.md")]
[OutputType(typeof(Deployment), typeof(GateVerdict))]
public sealed class InvokeDeployCommand : GovukDeployCmdlet
{
    private const string ReleaseSet = "Release";
    private const string BranchSet = "Branch";
    private readonly List<DeployRequest> _requests = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string? Application { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    /// <summary>The release tag; default the latest. Release objects bind by their Tag.</summary>
    [Parameter(ParameterSetName = ReleaseSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Tag")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReleaseCompleter))]
    public string? Release { get; set; }

    /// <summary>Deploys a branch to integration instead of a release. Pull requests bind their head branch (HeadBranch).</summary>
    [Parameter(ParameterSetName = BranchSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("HeadBranch")]
    [ValidateNotNullOrEmpty]
    public string? Branch { get; set; }

    /// <summary>The repository the branch is in (pull requests bind theirs); a fork's branch is refused, as Jenkins cannot fetch it.</summary>
    [Parameter(ParameterSetName = BranchSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? HeadRepository { get; set; }

    /// <summary>This deploy is confidential although the application is not: others are told the release tag and SHA only.</summary>
    [Parameter]
    public SwitchParameter Confidential { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string DeployTask { get; set; } = "deploy";

    /// <summary>Deploys whatever release this earlier environment runs (observed in its Jenkins), to bring the target up to it.</summary>
    [Parameter(ParameterSetName = ReleaseSet)]
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

    /// <summary>How long -Verify checks, in seconds; default the VerifyForSeconds setting (10 minutes). Implies -Verify.</summary>
    [Parameter]
    [Alias("VerifyFor")]
    [SecondsArgument]
    public int? VerifyForSec { get; set; }

    private TimeSpan? VerifyFor => VerifyForSec is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary>Rolls an unhealthy deploy back (Undo-Deployment), with what failed as the audited reason. Implies -Verify.</summary>
    [Parameter]
    public SwitchParameter RollbackOnUnhealthy { get; set; }

    /// <summary>How long to wait for each deploy once triggered, in seconds; 0 (the default) waits until it ends. Runs out with DeployTimeout.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    [Alias("Timeout")]
    [SecondsArgument]
    public int TimeoutSec { get; set; }

    /// <summary>How many deploys from the pipeline may run at once.</summary>
    [Parameter]
    [ValidateRange(1, 32)]
    public int ThrottleLimit { get; set; } = 1;

    protected override void ProcessRecordCore()
    {
        UserText.Check(Reason, nameof(Reason));
        UserText.Check(Announce, nameof(Announce));
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
            FromEnvironment = FromEnvironment is null ? null : Engine.RequireEnvironment(FromEnvironment),
            Confidential = Confidential,
            DeployTask = DeployTask,
            Force = Force,
            Reason = Reason,
            Announce = Announce,
            SmokeTest = SmokeTest,
            NoWait = NoWait,
            Timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : null,
            // The engine names the session's actor before the gates.
            Actor = "",
        });
    }

    /// <summary>
    /// The engine deploys (Engine.DeployManyAsync: gates, question, deploys, what comes after); this only
    /// asks the questions on the pipeline thread and writes what comes back. -WhatIf shows every gate instead.
    /// </summary>
    protected override void EndProcessingCore()
    {
        if (_requests.Count == 0)
        {
            return;
        }

        if (this.WhatIfRequested())
        {
            ShowGates();
            return;
        }

        var after = new Session.AfterDeployOptions(Verify || VerifyFor is not null || RollbackOnUnhealthy, VerifyFor, RollbackOnUnhealthy: RollbackOnUnhealthy);
        RunStreaming(async (sink, cancellation) =>
        {
            var options = new DeployManyOptions
            {
                ThrottleLimit = ThrottleLimit,
                Confirm = (evaluation, _) => sink.AskAsync(() => Confirm(evaluation)),
            };
            await foreach (var result in Engine.DeployManyAsync(_requests, options, after, sink, cancellation).ConfigureAwait(false))
            {
                if (result.Error is GovukDeployException error)
                {
                    sink.Error(error);
                    continue;
                }

                if (result.Result is not { } outcome)
                {
                    continue;
                }

                sink.Output(outcome.Deployment);
                if (outcome.Rollback is not null)
                {
                    sink.Output(outcome.Rollback);
                }

                foreach (var problem in outcome.Problems)
                {
                    sink.Error(problem);
                }
            }
        });
    }

    /// <summary>-WhatIf: every gate's verdict for each deploy, marked with its application and what it would do.</summary>
    private void ShowGates()
    {
        RunStreaming(async (sink, cancellation) =>
        {
            await foreach (var result in Engine.WhatIfDeployAsync(_requests, sink, cancellation).ConfigureAwait(false))
            {
                if (result.Error is GovukDeployException error)
                {
                    sink.Error(error);
                }
                else if (await sink.AskAsync(() => !this.ShouldProcessOrRefuse(Describe(result.Item), "Deploy", out var reason) && reason == ShouldProcessReason.WhatIf)
                    .ConfigureAwait(false))
                {
                    foreach (var verdict in result.Result!)
                    {
                        sink.Output(verdict);
                    }
                }
            }
        });
    }

    private static string Describe(DeployRequest request) => $"{request.Application} {request.Ref} to {request.Environment}";

    /// <summary>
    /// Asked once every gate has passed: production deploys (ConfirmImpact High), and others when -Confirm is
    /// given, are confirmed; then other people's changes, unless -Force. A session that cannot ask is refused
    /// with a typed error that names the switch to pass, never an UnexpectedError.
    /// </summary>
    private bool Confirm(GateEvaluation evaluation)
    {
        var target = Describe(evaluation.Request);
        var asks = evaluation.Request.Environment.Equals(Engine.Environments.Last, StringComparison.OrdinalIgnoreCase) || MyInvocation.BoundParameters.ContainsKey("Confirm");
        if (asks && !this.ShouldProcessOrRefuse(target, "Deploy"))
        {
            return false;
        }

        return Force || evaluation.OtherPeoplesChanges.Count == 0 || this.ShouldContinueOrRefuse(
            $"Deploy {target}, including {evaluation.OtherPeoplesChanges.Count} commit(s) by other people?", "Other people's changes",
            cause => ErrorCatalogue.OtherPeoplesChangesNotConfirmed(target, evaluation.OtherPeoplesChanges.Count, MyInvocation.MyCommand.Name, cause));
    }

    /// <summary>-Verify follows the deploy to its end, so it cannot go with -NoWait; it needs something to check health with.</summary>
    private void CheckVerify()
    {
        if (!Verify && VerifyFor is null && !RollbackOnUnhealthy)
        {
            return;
        }

        if (VerifyFor is { } span && (span <= TimeSpan.Zero || span > TimeSpan.FromHours(24)))
        {
            throw ErrorCatalogue.InvalidVerifyFor(VerifyForSec!.Value);
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

    /// <summary>-FromEnvironment names a configured environment before the target, and stands alone.</summary>
    private void CheckFromEnvironment(string environment)
    {
        var policy = Engine.Environments;
        var from = policy.Require(FromEnvironment!);
        if (policy.IndexOf(from) >= policy.IndexOf(environment))
        {
            throw ErrorCatalogue.FromEnvironmentNotEarlier(from, environment, policy.Names, policy.PredecessorOf(environment) ?? policy.First, FromEnvironment);
        }

        if (Release is not null || Branch is not null)
        {
            throw ErrorCatalogue.FromEnvironmentAndReleaseGiven(from, FromEnvironment);
        }
    }
}
