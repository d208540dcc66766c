using System.Management.Automation;
using GovukDeploy.Errors;
using GovukDeploy.Session;

namespace GovukDeploy.Commands;

/// <summary>
/// After a deploy: new and regressed errors in Sentry, Icinga alerts, the dashboard link and the smoke
/// tests, and one verdict (Healthy, Unhealthy or Unknown). Applications from the pipeline are checked
/// a few at a time.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DeployHealth", HelpUri = ProjectLinks.DocsRoot + "Test-DeployHealth.md")]
[OutputType(typeof(DeployHealth))]
public sealed class TestDeployHealthCommand : GovukDeployCmdlet
{
    private readonly List<HealthRequest> _requests = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string? Application { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    /// <summary>From when problems count; default the start of the newest deploy to the environment. A deployment binds its StartedAt.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("StartedAt")]
    public DateTimeOffset? Since { get; set; }

    /// <summary>The deploy to check (its smoke test, and its start as -Since); a deployment binds its Id.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateRange(1, long.MaxValue)]
    public long? DeploymentId { get; set; }

    /// <summary>How many applications are checked at once.</summary>
    [Parameter]
    [ValidateRange(1, 32)]
    public int ThrottleLimit { get; set; } = 6;

    protected override void ProcessRecordCore() =>
        _requests.Add(new HealthRequest(Application!, Environment!, Since, DeploymentId));

    protected override void EndProcessingCore()
    {
        if (_requests.Count == 0)
        {
            return;
        }

        RunStreaming(async (sink, cancellation) =>
        {
            await foreach (var result in Engine.DeployHealthAsync(_requests, ThrottleLimit, sink,
                report => ReportObservation(sink, report, offline: false), cancellation).ConfigureAwait(false))
            {
                if (result.Error is null)
                {
                    sink.Output(result.Result!);
                }
                else if (result.Error is not OperationCanceledException)
                {
                    // One application's failure does not stop the others.
                    sink.Error(result.Error as GovukDeployException ?? ErrorCatalogue.HealthCheckError($"{result.Item}", result.Item.Application, result.Error));
                }
            }
        });
    }
}
