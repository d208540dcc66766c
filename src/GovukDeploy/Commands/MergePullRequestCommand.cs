using System.Management.Automation;
using GovukDeploy.GitHub;

namespace GovukDeploy.Commands;

/// <summary>
/// Merges a pull request only when CI passed, it is approved, not a draft and mergeable;
/// it sends the head SHA it checked, so a push in between makes the merge fail.
/// </summary>
[Cmdlet("Merge", "PullRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MergeResult))]
public sealed class MergePullRequestCommand : GovukDeployCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Application { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, int.MaxValue)]
    public int Number { get; set; }

    // A string, not the engine's enum, so that importing the module does not load the engine.
    [Parameter]
    [ValidateSet("Merge", "Squash", "Rebase")]
    public string MergeMethod { get; set; } = "Merge";

    protected override void ProcessRecordCore()
    {
        var application = Await(ct => Engine.Applications.GetRequiredAsync(Application!, ct));
        if (!ShouldProcess($"{application.Repository}#{Number}", $"Merge the pull request ({MergeMethod})"))
        {
            return;
        }

        var result = RunOnPipeline((reporter, cancellation) =>
            Engine.GitHub(reporter).PullRequests.MergeAsync(application, Number, Enum.Parse<MergeMethod>(MergeMethod, ignoreCase: true), reporter, cancellation));
        WriteObject(result);
    }
}
