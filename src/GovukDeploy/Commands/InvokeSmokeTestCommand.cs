using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>Runs the Smokey job for an application in an environment and reports whether it passed.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "SmokeTest", SupportsShouldProcess = true, HelpUri = ProjectLinks.DocsRoot + "Invoke-SmokeTest.md")]
[OutputType(typeof(SmokeTestResult))]
public sealed class InvokeSmokeTestCommand : GovukDeployCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string? Application { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    protected override void ProcessRecordCore()
    {
        var environment = Engine.RequireEnvironment(Environment!);
        var application = Await(ct => Engine.Applications.GetRequiredAsync(Application!, ct));
        if (!this.ShouldProcessOrRefuse($"{application.Name} in {environment}", "Run the smoke tests"))
        {
            return;
        }

        var runner = Engine.Deploys.Runner;
        WriteObject(RunOnPipeline((reporter, cancellation) => runner.SmokeTestAsync(application, environment, reporter, cancellation)));
    }
}
