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
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string[]? Application { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    [Parameter]
    public SwitchParameter IncludeLifted { get; set; }

    protected override void ProcessRecordCore()
    {
        WriteObject(Await(ct => Engine.Freezes.GetAsync(Application, IncludeLifted, Environment, ct)), enumerateCollection: true);

        // The Release app's flags count too, for the applications named (asking it about every
        // application in the catalogue would be one request each).
        if (Application is null || Configuration.Get(GovukDeploy.Configuration.SettingCatalogue.ReleaseAppUrl) is null)
        {
            return;
        }

        var applications = Await(ct => Engine.Applications.GetAsync(Application, cancellationToken: ct)).Found;
        foreach (var application in applications)
        {
            try
            {
                if (Await(ct => Engine.ReleaseAppFreezeAsync(application, ct)) is { } freeze)
                {
                    WriteObject(freeze);
                }
            }
            catch (Errors.GovukDeployException unknown)
            {
                WriteError(ToErrorRecord(unknown));
            }
        }
    }
}
