using System.Management.Automation;
using GovukDeploy.Deploys;

namespace GovukDeploy.Commands;

/// <summary>
/// Rolls an application back in an environment to the release that ran there before the current one,
/// from the deploy history (GovukDeploy's and Jenkins'): shows that release and whose changes it takes
/// out, passes the window (incidents do not keep office hours), stops at a freeze unless -Force and at
/// the deploy lock, and records the deploy as a rollback of the one it undoes, audited with -Reason.
/// </summary>
[Cmdlet(VerbsCommon.Undo, "Deployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = ProjectLinks.DocsRoot + "Undo-Deployment.md")]
[OutputType(typeof(Deployment), typeof(RollbackPlan))]
public sealed class UndoDeploymentCommand : GovukDeployCmdlet
{

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string? Application { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    /// <summary>Why: written to the audit log with the rollback (and as the reason for passing a freeze with -Force).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 500)]
    public string? Reason { get; set; }

    /// <summary>
    /// An older release to return to, which must have succeeded in the environment before. Not bound from
    /// the pipeline: a piped deployment's release is the one being undone.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReleaseCompleter))]
    public string? Release { get; set; }

    /// <summary>Passes a freeze, with -Reason as the audited reason.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter SmokeTest { get; set; }

    /// <summary>How long to wait for the rollback's deploy, in seconds; 0 (the default) waits until it ends.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    [Alias("Timeout")]
    [SecondsArgument]
    public int TimeoutSec { get; set; }

    protected override void ProcessRecordCore()
    {
        UserText.Check(Reason, nameof(Reason));
        var environment = Engine.RequireEnvironment(Environment!);
        var application = Await(ct => Engine.Applications.GetRequiredAsync(Application!, ct));
        // Name whoever rolls back by their GitHub login when the token says who they are.
        RunOnPipeline((reporter, ct) => Engine.ResolveActorAsync(reporter, ct));
        var request = new RollbackRequest
        {
            Application = application.Name,
            Environment = environment,
            Reason = Reason!,
            Release = Release,
            Force = Force,
            SmokeTest = SmokeTest,
            Timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : null,
            Actor = Engine.Actor,
        };

        var plan = RunOnPipeline((reporter, ct) => Engine.PlanRollbackAsync(request, reporter, ct));
        var target = $"{application.Name} in {environment}";
        if (this.WhatIfRequested())
        {
            this.ShouldProcessOrRefuse(target, plan.Summary);
            WriteObject(plan);
            return;
        }

        if (plan.ChangesTakenOut.Length > 0)
        {
            var list = string.Join(System.Environment.NewLine, plan.ChangesTakenOut.Select(c => Printable($"  {c} ({c.Author})")));
            WriteWarning($"{Printable(plan.Summary)}; tell them:{System.Environment.NewLine}{list}" +
                (plan.TotalChangesTakenOut > plan.ChangesTakenOut.Length ? $"{System.Environment.NewLine}  ... and {plan.TotalChangesTakenOut - plan.ChangesTakenOut.Length} more" : ""));
        }

        // Rollbacks in the last environment (production) ask first (ConfirmImpact High); lower environments only when -Confirm is given.
        // A plan that a gate refuses is not asked about: the rollback stops at that gate with its error.
        var asks = environment.Equals(Engine.Environments.Last, StringComparison.OrdinalIgnoreCase) || MyInvocation.BoundParameters.ContainsKey("Confirm");
        if (plan.Passed && asks && !this.ShouldProcessOrRefuse(target, plan.Summary))
        {
            return;
        }

        // The rollback undoes what was shown, or nothing: if something else runs by now, it is refused.
        var confirmed = request with { Release = plan.TargetRelease, ExpectedCurrentId = plan.Current.Id };
        WriteObject(RunOnPipeline((reporter, ct) => Engine.UndoAsync(confirmed, reporter, ct)));
    }

    /// <summary>Commit messages and names come from GitHub: control characters (terminal escapes) are shown as '?'.</summary>
    private static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
}
