using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>Lists applications in the catalogue; wildcards in -Name; retired ones only when asked.</summary>
[Cmdlet(VerbsCommon.Get, "Application", HelpUri = ProjectLinks.DocsRoot + "Get-Application.md")]
[OutputType(typeof(Application))]
public sealed class GetApplicationCommand : GovukDeployCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Application")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TeamCompleter))]
    public string? Team { get; set; }

    [Parameter]
    public SwitchParameter IncludeRetired { get; set; }

    protected override void ProcessRecordCore()
    {
        var lookup = Await(ct => Engine.Applications.GetAsync(Name, Team, IncludeRetired, ct));
        WriteObject(lookup.Found, enumerateCollection: true);
        foreach (var missing in lookup.Missing)
        {
            WriteError(ToErrorRecord(missing));
        }
    }
}
