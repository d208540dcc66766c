using System.Management.Automation;
using GovukDeploy.Observed;

namespace GovukDeploy.Commands;

/// <summary>
/// Reads what each environment runs from its Jenkins deploy history now, whatever the age of the
/// store's view, and records the deploys it finds (only builds newer than the last one seen, and
/// older history for applications never searched for). Read cmdlets do this by themselves when the
/// view is older than DeploymentSyncMaxAge; this forces it.
/// </summary>
[Cmdlet(VerbsData.Sync, "Deployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = ProjectLinks.DocsRoot + "Sync-Deployment.md")]
[OutputType(typeof(SyncReport))]
public sealed class SyncDeploymentCommand : GovukDeployCmdlet
{
    private readonly List<string> _names = [];

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string[]? Application { get; set; }

    protected override void ProcessRecordCore() => _names.AddRange(Application ?? ["*"]);

    protected override void EndProcessingCore()
    {
        var names = _names.Count == 0 ? ["*"] : _names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var lookup = Await(ct => Engine.Applications.GetAsync(names, cancellationToken: ct));
        foreach (var missing in lookup.Missing)
        {
            WriteError(ToErrorRecord(missing));
        }

        if (lookup.Found.Count == 0)
        {
            return;
        }

        var target = lookup.Found.Count == 1 ? lookup.Found[0].Name : $"{lookup.Found.Count} applications";
        if (!this.ShouldProcessOrRefuse($"{target}, from Jenkins' {Configuration.Require(GovukDeploy.Configuration.SettingCatalogue.DeployJobName)} history in {string.Join(", ", Configuration.EnvironmentNames)}", "Record observed deploys"))
        {
            return;
        }

        var report = RunOnPipeline((reporter, ct) => Engine.ObserveAsync(lookup.Found, offline: false, reporter, ct, force: true));
        ReportObservation(new PipelineThreadReporter(this), report, offline: false);
        WriteObject(report);
    }

    /// <summary>Reports straight from the pipeline thread, for use after the engine work has ended.</summary>
    private sealed class PipelineThreadReporter(PSCmdlet cmdlet) : Reporting.IOperationReporter
    {
        public void Progress(Reporting.ProgressUpdate update) { }
        public void Verbose(string message) => cmdlet.WriteVerbose(message);
        public void Information(string message) => cmdlet.WriteInformation(message, ["GovukDeploy"]);
        public void Warning(string message) => cmdlet.WriteWarning(message);
    }
}
