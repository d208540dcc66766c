using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace GovukDeploy.Commands;

/// <summary>
/// Completes -Release (or -Tag) with the release tags the store already knows for the application
/// named on the command line (from deploys made or observed in Jenkins), newest first. It never asks
/// GitHub: without an application, or with nothing recorded, it offers nothing.
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
            (await Session.EngineServices.Current.Store.GetDeploymentsAsync(new Store.DeploymentQuery { Applications = [application] }, cancellation).ConfigureAwait(false))
                .Where(d => !d.IsBranchDeploy)
                .OrderByDescending(d => d.StartedAt)
                .Select(d => d.Release));
        return CompletionSupport.Offer(tags, wordToComplete);
    }
}
