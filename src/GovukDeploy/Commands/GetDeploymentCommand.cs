using System.Management.Automation;
using GovukDeploy.Store;

namespace GovukDeploy.Commands;

/// <summary>Deployment history from the store, newest first.</summary>
[Cmdlet(VerbsCommon.Get, "Deployment")]
[OutputType(typeof(Deployment))]
public sealed class GetDeploymentCommand : GovukDeployCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Application { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Environment { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Last { get; set; }

    /// <summary>Only deploys still in progress (started with -NoWait, or left by an interrupted session).</summary>
    [Parameter]
    public SwitchParameter InProgress { get; set; }

    protected override void ProcessRecordCore()
    {
        var query = new DeploymentQuery
        {
            Applications = Application,
            Environment = Environment is null ? null : Engine.RequireEnvironment(Environment),
            Last = Last,
            InProgressOnly = InProgress,
        };
        WriteObject(Await(ct => Engine.Store.GetDeploymentsAsync(query, ct)), enumerateCollection: true);
    }
}
