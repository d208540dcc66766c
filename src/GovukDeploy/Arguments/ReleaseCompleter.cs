using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace GovukDeploy.Commands;

/// <summary>
/// Completes -Release (or -Tag) for the application named on the command line: the release tags last
/// listed from GitHub (kept beside the response cache), newest first, then any other tag the store
/// knows from deploys made or observed in Jenkins. It never asks GitHub: without an application, or
/// with nothing listed or recorded, it offers nothing.
/// </summary>
internal sealed class ReleaseCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var application = CompletionSupport.Bound(fakeBoundParameters, "Application", "Name");
        if (application is null || WildcardPattern.ContainsWildcardCharacters(application))
        {
            return [];
        }

        var tags = CompletionSupport.Read(async cancellation =>
        {
            var engine = Session.EngineServices.Current;
            var listed = await engine.RememberedReleaseTagsAsync(application, cancellation).ConfigureAwait(false);
            var deployed = (await engine.Store.GetDeploymentsAsync(new Store.DeploymentQuery { Applications = [application] }, cancellation).ConfigureAwait(false))
                .Where(d => !d.IsBranchDeploy)
                .OrderByDescending(d => d.StartedAt)
                .Select(d => d.Release);
            return listed.Concat(deployed).Distinct(StringComparer.Ordinal);
        });
        return CompletionSupport.Offer(tags, wordToComplete);
    }
}
