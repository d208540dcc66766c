using System.Management.Automation;
using GovukDeploy.GitHub;

namespace GovukDeploy.Commands;

/// <summary>
/// Merges a pull request only when CI passed, it is approved, not a draft and mergeable;
/// it sends the head SHA it checked, so a push in between makes the merge fail.
/// </summary>
[Cmdlet("Merge", "PullRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = ProjectLinks.DocsRoot + "Merge-PullRequest.md")]
[OutputType(typeof(MergeResult))]
public sealed class MergePullRequestCommand : GovukDeployCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string? Application { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, int.MaxValue)]
    public int Number { get; set; }

    // A string, not the engine's enum, so that importing the module does not load the engine.
    [Parameter]
    [ValidateSet("Merge", "Squash", "Rebase")]
    public string MergeMethod { get; set; } = "Merge";

    /// <summary>Merges a confidential application's pull request although its repository is public (or of unknown visibility); needs -Reason, audited.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Reason { get; set; }

    protected override void ProcessRecordCore()
    {
        UserText.Check(Reason, nameof(Reason));
        var application = Await(ct => Engine.Applications.GetRequiredAsync(Application!, ct));
        if (!this.ShouldProcessOrRefuse($"{application.Repository}#{Number}", $"Merge the pull request ({MergeMethod})"))
        {
            return;
        }

        if (application.Confidential)
        {
            // A fix merged into a public repository is disclosed: the repository must be private first.
            RunOnPipeline(async (reporter, ct) =>
            {
                var gitHub = Engine.GitHub(reporter);
                await Engine.ResolveActorAsync(reporter, ct).ConfigureAwait(false);
                await new Confidential.ConfidentialService(Engine.Store, Engine.Actor).EnsurePrivateAsync(application, $"merging #{Number}", Force, Reason,
                    (app, token) => gitHub.Repositories.GetVisibilityAsync(app, reporter, token), reporter, ct).ConfigureAwait(false);
                return true;
            });
        }

        var result = RunOnPipeline((reporter, cancellation) =>
            Engine.GitHub(reporter).PullRequests.MergeAsync(application, Number, Enum.Parse<MergeMethod>(MergeMethod, ignoreCase: true), reporter, cancellation));
        WriteObject(result);
    }
}
