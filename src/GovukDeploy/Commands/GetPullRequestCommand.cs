using System.Management.Automation;
using GovukDeploy.Deploys;
using GovukDeploy.Errors;
using GovukDeploy.GitHub;

namespace GovukDeploy.Commands;

/// <summary>
/// Pull requests with their CI state (statuses and check runs), reviews, mergeability, review app (from
/// GitHub's deployments) and branch deploy to the first environment; -Web and -ReviewApp open one in the browser.
/// </summary>
[Cmdlet(VerbsCommon.Get, "PullRequest", DefaultParameterSetName = ListSet, HelpUri = ProjectLinks.DocsRoot + "Get-PullRequest.md")]
[OutputType(typeof(PullRequest), ParameterSetName = [ListSet])]
public sealed class GetPullRequestCommand : GovukDeployCmdlet
{
    private const string ListSet = "List";
    private const string WebSet = "Web";
    private const string ReviewAppSet = "ReviewApp";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ApplicationNameCompleter))]
    public string? Application { get; set; }

    [Parameter(ParameterSetName = ListSet, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = WebSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ReviewAppSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, int.MaxValue)]
    public int? Number { get; set; }

    // A string, not the engine's enum: an enum property would make PowerShell load the
    // engine while it imports the module, before the module's load context is in place.
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("Open", "Closed", "All")]
    public string State { get; set; } = "Open";

    /// <summary>Opens the pull request's page in the browser; prints its address where there is no browser.</summary>
    [Parameter(ParameterSetName = WebSet, Mandatory = true)]
    public SwitchParameter Web { get; set; }

    /// <summary>Opens the pull request's review app in the browser; prints its address where there is no browser.</summary>
    [Parameter(ParameterSetName = ReviewAppSet, Mandatory = true)]
    public SwitchParameter ReviewApp { get; set; }

    protected override void ProcessRecordCore()
    {
        var application = Await(ct => Engine.Applications.GetRequiredAsync(Application!, ct));
        if (Web || ReviewApp)
        {
            var pullRequest = RunOnPipeline((reporter, ct) => Engine.GitHub(reporter).PullRequests.GetAsync(application, Number!.Value, reporter, ct));
            Open(pullRequest);
            return;
        }

        var firstEnvironment = Configuration.EnvironmentNames[0];
        RunStreaming(async (sink, cancellation) =>
        {
            var gitHub = Engine.GitHub(sink);
            IReadOnlyList<PullRequest> pullRequests = Number is { } number
                ? [await gitHub.PullRequests.GetAsync(application, number, sink, cancellation).ConfigureAwait(false)]
                : await gitHub.PullRequests.ListAsync(application, Enum.Parse<PullRequestStateFilter>(State, ignoreCase: true), reporter: sink, cancellationToken: cancellation).ConfigureAwait(false);
            // Which of them has been tried on the first environment with Invoke-Deploy -Branch: one read of the store.
            await BranchDeploys.AttachAsync(Engine.Store, application, pullRequests, firstEnvironment, cancellation).ConfigureAwait(false);
            foreach (var pullRequest in pullRequests)
            {
                sink.Output(pullRequest);
            }
        });
    }

    /// <summary>The page or the review app in the browser; where there is none, the address printed for the user to follow.</summary>
    private void Open(PullRequest pullRequest)
    {
        var what = Web ? "page" : "review app";
        var address = Web ? pullRequest.Url : pullRequest.ReviewAppUrl;
        if (ReviewApp && address is null)
        {
            throw ErrorCatalogue.ReviewAppNotFound(pullRequest);
        }

        if (SafeUrl.Http(address) is not { } url)
        {
            throw ErrorCatalogue.UnsafeUrl($"The {what} address GitHub gave for {pullRequest.Application} #{pullRequest.Number}", "See the pull request on GitHub instead.", pullRequest);
        }

        if (Browser.TryOpen(url, out var why))
        {
            WriteHostLine($"Opened {url} in the browser.");
            return;
        }

        WriteVerbose($"The {what} was not opened: {why}. Its address follows.");
        WriteHostLine(url);
    }
}
