using System.Management.Automation;
using GovukDeploy.Session;

namespace GovukDeploy.Commands;

/// <summary>Lists the coming deploy windows of an environment.</summary>
[Cmdlet(VerbsCommon.Get, "DeployWindow")]
[OutputType(typeof(DeployWindow))]
public sealed class GetDeployWindowCommand : GovukDeployCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public DateTimeOffset? From { get; set; }

    [Parameter]
    [ValidateRange(1, 3660)]
    public int Days { get; set; } = 7;

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string Environment { get; set; } = "production";

    protected override void ProcessRecordCore()
    {
        WriteObject(EngineServices.Current.Windows.Windows(From, Days, Environment), enumerateCollection: true);
    }
}
