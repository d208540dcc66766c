using System.Management.Automation;
using GovukDeploy.Catalogue;

namespace GovukDeploy.Commands;

/// <summary>Changes one application's repository, deploy name, team, type, release pattern or retirement.</summary>
[Cmdlet(VerbsCommon.Set, "Application", SupportsShouldProcess = true)]
[OutputType(typeof(Application))]
public sealed class SetApplicationCommand : GovukDeployCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Repository { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DeployName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Team { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Type { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReleaseTagPattern { get; set; }

    [Parameter]
    public bool? Retired { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecordCore()
    {
        var changes = new ApplicationChanges
        {
            Repository = Repository,
            DeployName = DeployName,
            Team = Team,
            Type = Type,
            ReleaseTagPattern = ReleaseTagPattern,
            Retired = Retired,
        };
        if (!ShouldProcess(Name!, "Change the application"))
        {
            return;
        }

        var application = Await(ct => Engine.Applications.SetAsync(Name!, changes, ct));
        if (PassThru)
        {
            WriteObject(application);
        }
    }
}
