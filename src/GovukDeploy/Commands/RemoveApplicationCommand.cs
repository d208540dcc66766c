using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>Removes an application from the catalogue; its history stays in the audit log.</summary>
[Cmdlet(VerbsCommon.Remove, "Application", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = ProjectLinks.DocsRoot + "Remove-Application.md")]
[OutputType(typeof(Application))]
public sealed class RemoveApplicationCommand : GovukDeployCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecordCore()
    {
        foreach (var name in Name!)
        {
            try
            {
                // A name that is not in the catalogue is refused before anyone is asked about it.
                var application = Await(ct => Engine.Applications.GetRequiredAsync(name, ct));
                if (!this.ShouldProcessOrRefuse(application.Name, "Remove the application from the catalogue (its history stays in the audit log)"))
                {
                    continue;
                }

                var removed = Await(ct => Engine.Applications.RemoveAsync(application.Name, ct));
                if (PassThru)
                {
                    WriteObject(removed);
                }
            }
            catch (Errors.GovukDeployException error)
            {
                // One missing name does not stop the others.
                WriteError(ToErrorRecord(error));
            }
        }
    }
}
