using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>Waits, with progress, until a pull request's CI has finished, then returns the pull request.</summary>
[Cmdlet(VerbsLifecycle.Wait, "PullRequestCheck", HelpUri = ProjectLinks.DocsRoot + "Wait-PullRequestCheck.md")]
[OutputType(typeof(PullRequest))]
public sealed class WaitPullRequestCheckCommand : GovukDeployCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Application { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, int.MaxValue)]
    public int Number { get; set; }

    [Parameter]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    protected override void ProcessRecordCore()
    {
        var application = Await(ct => Engine.Applications.GetRequiredAsync(Application!, ct));
        var pullRequest = RunOnPipeline((reporter, cancellation) =>
            Engine.GitHub(reporter).PullRequests.WaitForChecksAsync(application, Number, Timeout, reporter, cancellation));
        WriteObject(pullRequest);
    }
}
