using System.Management.Automation;
using GovukDeploy.GitHub;

namespace GovukDeploy.Commands;

/// <summary>Pull requests with their CI state (statuses and check runs), reviews and mergeability.</summary>
[Cmdlet(VerbsCommon.Get, "PullRequest")]
[OutputType(typeof(PullRequest))]
public sealed class GetPullRequestCommand : GovukDeployCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string? Application { get; set; }

    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, int.MaxValue)]
    public int? Number { get; set; }

    // A string, not the engine's enum: an enum property would make PowerShell load the
    // engine while it imports the module, before the module's load context is in place.
    [Parameter]
    [ValidateSet("Open", "Closed", "All")]
    public string State { get; set; } = "Open";

    protected override void ProcessRecordCore()
    {
        var application = Await(ct => Engine.Applications.GetRequiredAsync(Application!, ct));
        RunStreaming(async (sink, cancellation) =>
        {
            var gitHub = Engine.GitHub(sink);
            if (Number is { } number)
            {
                sink.Output(await gitHub.PullRequests.GetAsync(application, number, sink, cancellation).ConfigureAwait(false));
                return;
            }

            foreach (var pullRequest in await gitHub.PullRequests.ListAsync(application, Enum.Parse<PullRequestStateFilter>(State, ignoreCase: true), reporter: sink, cancellationToken: cancellation).ConfigureAwait(false))
            {
                sink.Output(pullRequest);
            }
        });
    }
}
