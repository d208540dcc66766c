using System.Management.Automation;
using GovukDeploy.GitHub;
using GovukDeploy.Status;

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

        var environments = Configuration.EnvironmentNames;
        RunStreaming(async (sink, cancellation) =>
        {
            // What runs is observed (Jenkins' history, deployed-to branches) before the releases are read.
            var gitHub = Engine.GitHub(sink);
            var running = await Engine.RunningAsync(applications, Offline, gitHub, sink, cancellation).ConfigureAwait(false);
            ReportObservation(sink, running.Observation, Offline);
            var unknownEnvironments = environments.Where(e => !running.IsKnown(e)).ToList();
            // Every application's freezes in one read of the store (global ones apply to each).
            var freezes = await Engine.Freezes.GetAsync(applications.Count > 200 ? null : applications.Select(a => a.Name).ToList(), cancellationToken: cancellation).ConfigureAwait(false);
            var frozen = applications.ToDictionary(a => a.Name, a => freezes
                .Where(f => f.IsGlobal || f.Application.Equals(a.Name, StringComparison.OrdinalIgnoreCase))
                .SelectMany(f => f.Environment == DeployFreeze.Global ? environments : [f.Environment]).ToList(), StringComparer.OrdinalIgnoreCase);

            // The Release app's flag freezes every environment; it is asked about a few applications at a time.
            await foreach (var answer in GitHubBatch.RunAsync(applications, gitHub.ThrottleLimit,
                (application, ct) => Engine.ReleaseAppFreezeAsync(application, ct), cancellation, sink, "Reading the Release app's freezes").ConfigureAwait(false))
            {
                if (answer.Error is not null)
                {
                    // Unknown is never shown as "not frozen".
                    frozen[answer.Application.Name].Add("unknown");
                    sink.Warning(answer.Error.Message);
                }
                else if (answer.Value is not null)
                {
                    frozen[answer.Application.Name].AddRange(environments);
                }
            }

            await foreach (var result in GitHubBatch.RunAsync(applications, gitHub.ThrottleLimit,
                (application, ct) => gitHub.Releases.ListReleaseTagsAsync(application, sink, ct), cancellation, sink, "Reading release tags").ConfigureAwait(false))
            {
                if (result.Error is not null)
                {
                    sink.Error(result.Error);
                    continue;
                }

                var runs = running.For(result.Application.Name);
                sink.Output(DeployStatusCalculator.Calculate(result.Application.Name, result.Value ?? [],
                    runs.GetValueOrDefault("integration")?.Release, runs.GetValueOrDefault("staging")?.Release,
                    runs.GetValueOrDefault("production")?.Release, frozen[result.Application.Name],
                    unknownEnvironments, result.Application, running.DisagreementsFor(result.Application.Name)));
            }
        });
    }
}
