using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>
/// The commits a deploy would ship: between what the environment runs and the target release
/// (default the latest), oldest first, marking those by someone other than you.
/// </summary>
[Cmdlet(VerbsCommon.Get, "UndeployedChange", HelpUri = ProjectLinks.DocsRoot + "Get-UndeployedChange.md")]
[OutputType(typeof(Change))]
public sealed class GetUndeployedChangeCommand : GovukDeployCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string? Application { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EnvironmentCompleter))]
    public string? Environment { get; set; }

    /// <summary>The release to compare with; default the latest.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Tag")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReleaseCompleter))]
    public string? Release { get; set; }

    /// <summary>What the environment runs from the store alone: Jenkins is not read, and a warning says how old the store's view is.</summary>
    [Parameter]
    public SwitchParameter Offline { get; set; }

    protected override void ProcessRecordCore()
    {
        var environment = Engine.RequireEnvironment(Environment!);
        var application = Await(ct => Engine.Applications.GetRequiredAsync(Application!, ct));
        RunStreaming(async (sink, cancellation) =>
        {
            var changes = await Engine.UndeployedChangesAsync(application, environment, Release, Engine.GitHub(sink), sink, cancellation, Offline).ConfigureAwait(false);
            if (changes.NeverDeployed)
            {
                sink.Warning($"{application.Name} has never been deployed to {environment} (no deploy is seen in its Jenkins history, its deployed-to branch or the store), so there is nothing to compare {changes.Head} with; every commit up to it would be new there.");
                return;
            }

            if (changes.Behind)
            {
                sink.Warning($"{environment} runs {changes.Base}, which is not behind {changes.Head}: deploying {changes.Head} would not add these commits.");
            }

            sink.Verbose($"{changes.TotalCommits} commit(s) between {changes.Base} and {changes.Head}.");
            foreach (var change in changes.Changes)
            {
                sink.Output(change);
            }

            if (changes.Truncated)
            {
                sink.Warning($"{changes.MoreCount} more commit(s) between {changes.Base} and {changes.Head} are not listed.");
            }
        });
    }
}
