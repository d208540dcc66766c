using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>
/// Upserts applications from a GOV.UK catalogue file (applications.yml, repos.yml or JSON
/// of the same shapes) in one transaction; a file with any problem imports nothing.
/// </summary>
[Cmdlet(VerbsData.Import, "Application", SupportsShouldProcess = true, HelpUri = ProjectLinks.DocsRoot + "Import-Application.md")]
[OutputType(typeof(Application))]
public sealed class ImportApplicationCommand : GovukDeployCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>The GitHub organisation of entries that do not name one; default the GitHubOrganisation setting.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Organisation { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecordCore()
    {
        var organisation = Organisation ?? Configuration.Require(GovukDeploy.Configuration.SettingCatalogue.GitHubOrganisation);
        foreach (var given in Path!)
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(given);
            if (!this.ShouldProcessOrRefuse(path, "Import the applications in this catalogue file"))
            {
                continue;
            }

            var result = Await(ct => Engine.Applications.ImportFileAsync(path, organisation, ct));
            WriteInformation(
                $"Imported {result.Applications.Count} application(s) from {path}: {result.Added} added, {result.Changed} changed, {result.Unchanged} unchanged.",
                ["GovukDeploy"]);
            if (PassThru)
            {
                WriteObject(result.Applications, enumerateCollection: true);
            }
        }
    }
}
