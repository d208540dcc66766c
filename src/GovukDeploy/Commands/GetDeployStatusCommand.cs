using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>Per application: the latest release, what each environment runs, how far behind, freezes, and one status word.</summary>
[Cmdlet(VerbsCommon.Get, "DeployStatus", HelpUri = ProjectLinks.DocsRoot + "Get-DeployStatus.md")]
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

    /// <summary>
    /// Each configured environment's release as a property named after it (Integration, Staging, Production
    /// by default; Dev and Prod under -Environments dev,prod), with its ...Behind count, in promotion order.
    /// </summary>
    private static PSObject WithEnvironmentProperties(DeployStatus status)
    {
        var wrapped = PSObject.AsPSObject(status);
        foreach (var environment in status.Environments)
        {
            var word = Status.DeployStatusCalculator.Word(environment.Environment);
            if (wrapped.Properties[word] is not null || wrapped.Properties[word + "Behind"] is not null)
            {
                // An environment named like one of DeployStatus's own properties is shown under Environments only.
                continue;
            }
            wrapped.Properties.Add(new PSNoteProperty(word, environment.Release));
            wrapped.Properties.Add(new PSNoteProperty(word + "Behind", environment.Behind));
        }
        return wrapped;
    }

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
                    sink.Output(WithEnvironmentProperties(result.Value!));
                }
            }
        });
    }
}
