using System.Management.Automation;
using GovukDeploy.Releases;

namespace GovukDeploy.Commands;

/// <summary>
/// Follows a merged change through GOV.UK's automatic half of the pipeline: CI on the default branch,
/// the release_N tag that contains it, CI's deploy to Integration and the smoke tests; returns the
/// release with that deploy and smoke test. It changes nothing (it reads CI's deploy into the store, as the
/// Get- cmdlets read what runs), so it takes no -WhatIf.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "Release", DefaultParameterSetName = ShaSet, HelpUri = ProjectLinks.DocsRoot + "Wait-Release.md")]
[OutputType(typeof(FollowedRelease))]
public sealed class WaitReleaseCommand : GovukDeployCmdlet
{
    // Sha is the default set, so that -Sha alone, and Merge-PullRequest's output (which has both Number
    // and Sha), settle on it instead of PowerShell asking for -PullRequest; the engine then finds the
    // pull request that merged the commit.
    private const string PullRequestSet = "PullRequest";
    private const string ShaSet = "Sha";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string? Application { get; set; }

    /// <summary>The merged pull request (Get-PullRequest's Number binds to it).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = PullRequestSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Number")]
    [ValidateRange(1, int.MaxValue)]
    public int PullRequest { get; set; }

    /// <summary>The commit to follow: the merge commit (Merge-PullRequest's Sha binds to it).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ShaSet, ValueFromPipelineByPropertyName = true)]
    public string? Sha { get; set; }

    /// <summary>How long to wait in all, in seconds, before ReleaseWaitTimedOut (30 minutes, as the engine's default).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    [Alias("Timeout")]
    [SecondsArgument]
    public int TimeoutSec { get; set; } = 1800;

    protected override void ProcessRecordCore()
    {
        var application = Await(ct => Engine.Applications.GetRequiredAsync(Application!, ct));
        var request = new ReleaseFollowRequest
        {
            Application = application,
            PullRequest = ParameterSetName == PullRequestSet ? PullRequest : null,
            Sha = ParameterSetName == ShaSet ? Sha : null,
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
        };
        WriteObject(RunOnPipeline((reporter, cancellation) => Engine.FollowReleaseAsync(request, reporter, cancellation)));
    }
}
