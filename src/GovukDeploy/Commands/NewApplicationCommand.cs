using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>Adds one application to the catalogue by hand.</summary>
[Cmdlet(VerbsCommon.New, "Application", SupportsShouldProcess = true, HelpUri = ProjectLinks.DocsRoot + "New-Application.md")]
[OutputType(typeof(Application))]
public sealed class NewApplicationCommand : GovukDeployCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>owner/name; default the GitHubOrganisation setting and the application's name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Repository { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? DeployName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TeamCompleter))]
    public string? Team { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Type { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ReleaseTagPattern { get; set; }

    protected override void ProcessRecordCore()
    {
        if (!this.ShouldProcessOrRefuse(Name!, "Add the application to the catalogue"))
        {
            return;
        }

        var organisation = Configuration.Require(GovukDeploy.Configuration.SettingCatalogue.GitHubOrganisation);
        WriteObject(Await(ct => Engine.Applications.NewAsync(Name!, Repository, DeployName, Team, Type, ReleaseTagPattern, organisation, ct)));
    }
}
