using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>Removes an application from the catalogue; its history stays in the audit log.</summary>
[Cmdlet(VerbsCommon.Remove, "Application", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
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
            if (!ShouldProcess(name, "Remove the application from the catalogue (its history stays in the audit log)"))
            {
                continue;
            }

            try
            {
                var removed = Await(ct => Engine.Applications.RemoveAsync(name, ct));
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
