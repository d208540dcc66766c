using System.Management.Automation;
using GovukDeploy.Store;

namespace GovukDeploy.Commands;

/// <summary>
/// Deployment history, newest first: the deploys GovukDeploy ran and those observed in each
/// environment's Jenkins (read again first when the store's view is older than DeploymentSyncMaxAge).
/// </summary>
[Cmdlet(VerbsCommon.Get, "Deployment")]
[OutputType(typeof(Deployment))]
public sealed class GetDeploymentCommand : GovukDeployCmdlet
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
    [ValidateRange(1, int.MaxValue)]
    public int? Last { get; set; }

    /// <summary>Only deploys still in progress (started with -NoWait, or left by an interrupted session).</summary>
    [Parameter]
    public SwitchParameter InProgress { get; set; }

    /// <summary>The store alone: Jenkins is not read, and a warning says how old the store's view is.</summary>
    [Parameter]
    public SwitchParameter Offline { get; set; }

    protected override void ProcessRecordCore()
    {
        var query = new DeploymentQuery
        {
            Applications = Application,
            Environment = Environment is null ? null : Engine.RequireEnvironment(Environment),
            Last = Last,
            InProgressOnly = InProgress,
        };
        var deployments = RunOnPipeline(async (reporter, ct) =>
        {
            var applications = await Engine.Store.GetApplicationsAsync(new ApplicationQuery { Names = Application, IncludeRetired = true }, ct).ConfigureAwait(false);
            ReportObservation(reporter, await Engine.ObserveAsync(applications, Offline, reporter, ct).ConfigureAwait(false), Offline);
            return await Engine.Store.GetDeploymentsAsync(query, ct).ConfigureAwait(false);
        });
        WriteObject(deployments, enumerateCollection: true);
    }
}
