using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>Lists the coming deploy windows of an environment.</summary>
[Cmdlet(VerbsCommon.Get, "DeployWindow", HelpUri = ProjectLinks.DocsRoot + "Get-DeployWindow.md")]
[OutputType(typeof(DeployWindow))]
public sealed class GetDeployWindowCommand : GovukDeployCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public DateTimeOffset? From { get; set; }

    [Parameter]
    [ValidateRange(1, 3660)]
    public int Days { get; set; } = 7;

    /// <summary>The environment; default the last configured one (production).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    protected override void ProcessRecordCore()
    {
        var environment = Engine.RequireEnvironment(Environment ?? Engine.Environments.Last);
        WriteObject(Engine.Windows.Windows(From, Days, environment), enumerateCollection: true);
    }
}
