using System.Management.Automation;
using GovukDeploy.Errors;
using GovukDeploy.Store;

namespace GovukDeploy.Commands;

/// <summary>
/// Follows deploys that are still in progress (started with -NoWait, or left by an interrupted
/// session) to their end, with progress, and records their outcome.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "Deployment", SupportsShouldProcess = true, HelpUri = ProjectLinks.DocsRoot + "Wait-Deployment.md")]
[OutputType(typeof(Deployment))]
public sealed class WaitDeploymentCommand : GovukDeployCmdlet
{
    private readonly List<long> _ids = [];

    /// <summary>The deployments to follow; default every deploy in progress.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, long.MaxValue)]
    public long[]? Id { get; set; }

    /// <summary>Runs the smoke test after each deploy that succeeds.</summary>
    [Parameter]
    public SwitchParameter SmokeTest { get; set; }

    /// <summary>How long to wait for each deploy, in seconds; 0 (the default) waits until it ends. Runs out with DeployTimeout.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    [Alias("Timeout")]
    [SecondsArgument]
    public int TimeoutSec { get; set; }

    protected override void ProcessRecordCore() => _ids.AddRange(Id ?? []);

    protected override void EndProcessingCore()
    {
        var deployments = new List<Deployment>();
        if (_ids.Count == 0 && MyInvocation.ExpectingInput)
        {
            // Piped nothing (an empty Get-Deployment -InProgress): follow nothing, not every deploy there is.
            return;
        }

        if (_ids.Count == 0)
        {
            deployments.AddRange(Await(ct => Engine.Store.GetDeploymentsAsync(new DeploymentQuery { InProgressOnly = true }, ct)));
        }
        else
        {
            foreach (var id in _ids.Distinct())
            {
                var deployment = Await(ct => Engine.Store.GetDeploymentAsync(id, ct));
                if (deployment is null)
                {
                    WriteError(ToErrorRecord(ErrorCatalogue.DeploymentNotFound(id)));
                    continue;
                }

                deployments.Add(deployment);
            }
        }

        if (deployments.Count == 0)
        {
            // Nothing to follow: Jenkins' settings are not needed, and a missing one is no error here.
            return;
        }

        var runner = Engine.Deploys.Runner;
        foreach (var deployment in deployments)
        {
            if (!this.ShouldProcessOrRefuse($"deployment {deployment.Id} ({deployment.Application} {deployment.Release} to {deployment.Environment})",
                SmokeTest ? "Follow the deploy to its end, record it, and run the smoke tests" : "Follow the deploy to its end and record it"))
            {
                continue;
            }

            try
            {
                WriteObject(RunOnPipeline((reporter, cancellation) => runner.WaitAsync(deployment, reporter, cancellation, SmokeTest, Engine.Actor,
                    TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : null)));
            }
            catch (GovukDeployException error)
            {
                WriteError(ToErrorRecord(error));
            }
        }
    }
}
