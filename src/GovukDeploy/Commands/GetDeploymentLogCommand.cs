using System.Management.Automation;
using GovukDeploy.Deploys;
using GovukDeploy.Errors;
using GovukDeploy.Store;

namespace GovukDeploy.Commands;

/// <summary>
/// A deploy's Jenkins console, a line at a time: all of it or the last -Tail lines, following a build
/// that is still running until it ends. Takes deployments from Get-Deployment, or the newest deploy
/// of an application to an environment. Control characters in the console are shown, not acted on.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DeploymentLog", DefaultParameterSetName = ByIdSet, HelpUri = ProjectLinks.DocsRoot + "Get-DeploymentLog.md")]
[OutputType(typeof(DeploymentLogLine))]
public sealed class GetDeploymentLogCommand : GovukDeployCmdlet
{
    private const string ByIdSet = "Id";
    private const string NewestSet = "Newest";

    /// <summary>The deployment whose console to show, as Get-Deployment lists it.</summary>
    [Parameter(ParameterSetName = ByIdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, long.MaxValue)]
    public long Id { get; set; }

    /// <summary>With -Environment: the newest deploy of this application there.</summary>
    [Parameter(ParameterSetName = NewestSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string? Application { get; set; }

    [Parameter(ParameterSetName = NewestSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    /// <summary>Only the last this many lines (of the console so far, for a build still running).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    protected override void ProcessRecordCore()
    {
        var deployment = ParameterSetName == ByIdSet
            ? Await(ct => Engine.Store.GetDeploymentAsync(Id, ct)) ?? throw ErrorCatalogue.DeploymentNotFound(Id)
            : Newest();

        var reader = new DeploymentLogReader(Engine.Jenkins);
        RunStreaming((sink, ct) => reader.ReadAsync(deployment, Tail, line => sink.Output(line), sink, ct));
    }

    private Deployment Newest()
    {
        var environment = Engine.RequireEnvironment(Environment!);
        return RunOnPipeline(async (reporter, ct) =>
        {
            var application = await Engine.Applications.GetRequiredAsync(Application!, ct).ConfigureAwait(false);
            // Jenkins first, as Get-Deployment does, so that a deploy someone else just ran counts as the newest.
            ReportObservation(reporter, await Engine.ObserveAsync([application], false, reporter, ct).ConfigureAwait(false), false);
            var newest = await Engine.Store.GetDeploymentsAsync(new DeploymentQuery { Applications = [application.Name], Environment = environment, Last = 1 }, ct).ConfigureAwait(false);
            return newest.Count > 0 ? newest[0] : throw ErrorCatalogue.DeploymentNotFound(application: application.Name, environment: environment);
        });
    }
}
