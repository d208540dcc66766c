using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>Lifts freezes; every application from the pipeline in one transaction.</summary>
[Cmdlet(VerbsCommon.Remove, "DeployFreeze", SupportsShouldProcess = true, DefaultParameterSetName = ApplicationSet, HelpUri = ProjectLinks.DocsRoot + "Remove-DeployFreeze.md")]
[OutputType(typeof(DeployFreeze))]
public sealed class RemoveDeployFreezeCommand : GovukDeployCmdlet
{
    private const string ApplicationSet = "Application";
    private const string GlobalSet = "Global";
    private readonly List<string> _applications = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ApplicationSet)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string[]? Application { get; set; }

    /// <summary>Lifts the global freeze (not the applications' own).</summary>
    [Parameter(Mandatory = true, ParameterSetName = GlobalSet)]
    public SwitchParameter Global { get; set; }

    /// <summary>Only these environments' freezes; default every environment.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string[]? Environment { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecordCore()
    {
        foreach (var application in Global ? [DeployFreeze.Global] : Application!)
        {
            var shown = Global ? "every application (the global freeze)" : application == "*" ? "every application's own freezes" : application;
            if (this.ShouldProcessOrRefuse(shown, $"Lift the freeze{(Environment is null ? "" : $" on {string.Join(", ", Environment)}")}"))
            {
                _applications.Add(application);
            }
        }
    }

    protected override void EndProcessingCore()
    {
        if (_applications.Count == 0)
        {
            return;
        }

        // '*' is a pattern like any other (every application); only -Global lifts the global freeze.
        var lifted = Global
            ? Await(ct => Engine.Freezes.LiftGlobalAsync(Environment, ct))
            : Await(ct => Engine.Freezes.LiftAsync(_applications, Environment, ct));
        WriteVerbose($"Lifted {lifted.Count} freeze(s) in one transaction.");
        if (PassThru)
        {
            WriteObject(lifted, enumerateCollection: true);
        }
    }
}
