using System.Management.Automation;
using GovukDeploy.Deploys;
using GovukDeploy.Errors;

namespace GovukDeploy.Commands;

/// <summary>
/// Stops deploys in progress: asks Jenkins to stop the build, or cancels the queue item of a deploy
/// that has not started, waits until Jenkins confirms, and records Aborted with who stopped it.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "Deployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = ProjectLinks.DocsRoot + "Stop-Deployment.md")]
[OutputType(typeof(Deployment))]
public sealed class StopDeploymentCommand : GovukDeployCmdlet
{

    /// <summary>The deployments to stop; Get-Deployment's output binds by its Id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, long.MaxValue)]
    public long[]? Id { get; set; }

    /// <summary>Why, for the audit log.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 500)]
    public string? Reason { get; set; }

    /// <summary>Records the deploy Aborted even when Jenkins no longer knows its queue item or build.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        UserText.Check(Reason, nameof(Reason));
        foreach (var id in Id ?? [])
        {
            try
            {
                Stop(id);
            }
            catch (GovukDeployException error)
            {
                // One deploy that cannot be stopped does not keep the others running.
                WriteError(ToErrorRecord(error));
            }
        }
    }

    private void Stop(long id)
    {
        var deployment = Await(ct => Engine.Store.GetDeploymentAsync(id, ct))
            ?? throw ErrorCatalogue.DeploymentNotFound(id);
        // A deploy that has ended is refused before anyone is asked about it.
        DeployRunner.ThrowIfEnded(deployment);

        var target = $"deploy #{deployment.Id} of {deployment.Application} {deployment.Release} in {deployment.Environment} " +
            $"({deployment.BuildUrl ?? (deployment.QueueUrl is { } queue ? "queued: " + queue : "no build recorded")})";
        var action = deployment.BuildUrl is null ? "Cancel its Jenkins queue item and record it Aborted" : "Stop its Jenkins build and record it Aborted";
        if (this.WhatIfRequested())
        {
            this.ShouldProcessOrRefuse(target, action);
            return;
        }

        // Deploys to the last environment (production) ask first (ConfirmImpact High); lower environments only when -Confirm is given.
        var asks = deployment.Environment.Equals(Engine.Environments.Last, StringComparison.OrdinalIgnoreCase) || MyInvocation.BoundParameters.ContainsKey("Confirm");
        if (asks && !this.ShouldProcessOrRefuse(target, action))
        {
            return;
        }

        WriteObject(RunOnPipeline((reporter, cancellation) => Engine.StopAsync(deployment, Reason, Force, reporter, cancellation)));
    }
}
