using System.Management.Automation;
using GovukDeploy.Store;

namespace GovukDeploy.Commands;

/// <summary>
/// Deployment history, newest first: the deploys GovukDeploy ran and those observed in each
/// environment's Jenkins (read again first when the store's view is older than DeploymentSyncMaxAge).
/// </summary>
[Cmdlet(VerbsCommon.Get, "Deployment", HelpUri = ProjectLinks.DocsRoot + "Get-Deployment.md")]
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

    /// <summary>Opens the newest matching deploy's Jenkins build in the browser; prints its address where there is no browser.</summary>
    [Parameter]
    public SwitchParameter Web { get; set; }

    protected override void ProcessRecordCore()
    {
        var (names, problems) = Await(ct => Engine.Applications.ExpandPatternsAsync(Application, ct));
        foreach (var problem in problems)
        {
            WriteError(ToErrorRecord(problem));
        }
        if (names is { Count: 0 })
        {
            return;
        }

        var query = new DeploymentQuery
        {
            Applications = names,
            Environment = Environment is null ? null : Engine.RequireEnvironment(Environment),
            Last = Last,
            InProgressOnly = InProgress,
        };
        var deployments = RunOnPipeline(async (reporter, ct) =>
        {
            var applications = await Engine.Store.GetApplicationsAsync(new ApplicationQuery { Names = names, IncludeRetired = true }, ct).ConfigureAwait(false);
            ReportObservation(reporter, await Engine.ObserveAsync(applications, Offline, reporter, ct).ConfigureAwait(false), Offline);
            return await Engine.Store.GetDeploymentsAsync(query, ct).ConfigureAwait(false);
        });
        if (Web)
        {
            OpenNewest(deployments);
            return;
        }
        WriteObject(deployments, enumerateCollection: true);
    }

    /// <summary>The newest deploy's build page in the browser; where there is none, its address printed for the user to follow.</summary>
    private void OpenNewest(IReadOnlyList<Deployment> newestFirst)
    {
        if (newestFirst.Count == 0)
        {
            throw Errors.ErrorCatalogue.DeploymentNotFound(application: Application is { Length: > 0 } names ? string.Join(", ", names) : null, advice: "so there is no build to open. Get-Deployment without -Web lists what is recorded");
        }
        var newest = newestFirst[0];
        if (newestFirst.Count > 1)
        {
            WriteVerbose($"{newestFirst.Count} deployments match; opening the newest, {newest.Id} ({newest.Application} {newest.Release} to {newest.Environment}).");
        }
        if (SafeUrl.Http(newest.BuildUrl) is not { } url)
        {
            throw newest.BuildUrl is null
                ? Deploys.DeploymentLogReader.BuildNotRecorded(newest)
                : Errors.ErrorCatalogue.UnsafeUrl($"The build address recorded for deployment {newest.Id}", "Look for the build in Jenkins' Deploy_App history instead.", newest.Id);
        }
        if (Browser.TryOpen(url, out var why))
        {
            WriteHostLine($"Opened {url} in the browser.");
            return;
        }
        WriteVerbose($"The build was not opened: {why}. Its address follows.");
        WriteHostLine(url);
    }
}
