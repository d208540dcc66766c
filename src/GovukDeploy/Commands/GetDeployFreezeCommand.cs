using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>Lists the freezes in force (global ones included), or with -IncludeLifted their whole history.</summary>
[Cmdlet(VerbsCommon.Get, "DeployFreeze")]
[OutputType(typeof(DeployFreeze))]
public sealed class GetDeployFreezeCommand : GovukDeployCmdlet
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
    public SwitchParameter IncludeLifted { get; set; }

    protected override void ProcessRecordCore()
    {
        WriteObject(Await(ct => Engine.Freezes.GetAsync(Application, IncludeLifted, Environment, ct)), enumerateCollection: true);
    }
}
