using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>Waits, with progress, until a pull request's CI has finished, then returns the pull request.</summary>
[Cmdlet(VerbsLifecycle.Wait, "PullRequestCheck", HelpUri = ProjectLinks.DocsRoot + "Wait-PullRequestCheck.md")]
[OutputType(typeof(PullRequest))]
public sealed class WaitPullRequestCheckCommand : GovukDeployCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string? Application { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, int.MaxValue)]
    public int Number { get; set; }

    /// <summary>How long to wait, in seconds (30 minutes by default); a TimeSpan is read as what it says.</summary>
    [Parameter]
    [Alias("Timeout")]
    [SecondsArgument]
    [ValidateRange(1, 7 * 24 * 3600)]
    public int TimeoutSec { get; set; } = 1800;

    protected override void ProcessRecordCore()
    {
        var application = Await(ct => Engine.Applications.GetRequiredAsync(Application!, ct));
        var pullRequest = RunOnPipeline((reporter, cancellation) =>
            Engine.GitHub(reporter).PullRequests.WaitForChecksAsync(application, Number, TimeSpan.FromSeconds(TimeoutSec), reporter, cancellation));
        WriteObject(pullRequest);
    }
}
