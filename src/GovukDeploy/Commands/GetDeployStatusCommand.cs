using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>Per application: the latest release, what each environment runs, how far behind, freezes, and one status word.</summary>
[Cmdlet(VerbsCommon.Get, "DeployStatus")]
[OutputType(typeof(DeployStatus))]
public sealed class GetDeployStatusCommand : GovukDeployCmdlet
{
    private readonly List<string> _names = [];

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string[]? Application { get; set; }

    /// <summary>The store alone: Jenkins and GitHub's deployed-to branches are not read, and a warning says how old the store's view is.</summary>
    [Parameter]
    public SwitchParameter Offline { get; set; }

    protected override void ProcessRecordCore() => _names.AddRange(Application ?? ["*"]);

    protected override void EndProcessingCore()
    {
        var lookup = Await(ct => Engine.Applications.GetAsync(_names.Count == 0 ? ["*"] : _names.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), cancellationToken: ct));
        foreach (var missing in lookup.Missing)
        {
            WriteError(ToErrorRecord(missing));
        }

        var applications = lookup.Found;
        if (applications.Count == 0)
        {
            return;
        }

        RunStreaming(async (sink, cancellation) =>
        {
            await foreach (var result in Engine.DeployStatusesAsync(applications, Offline, sink, (report, offline) => ReportObservation(sink, report, offline), cancellation).ConfigureAwait(false))
            {
                if (result.Error is not null)
                {
                    sink.Error(result.Error);
                }
                else
                {
                    sink.Output(result.Value!);
                }
            }
        });
    }
}
