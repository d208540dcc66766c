using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace GovukDeploy.Commands;

/// <summary>Completes -Team from the teams the catalogue in the store names.</summary>
internal sealed class TeamCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var teams = CompletionSupport.Read(async cancellation =>
            (await Session.EngineServices.Current.Store.GetApplicationsAsync(new Store.ApplicationQuery { IncludeRetired = true }, cancellation).ConfigureAwait(false))
                .Select(a => a.Team!)
                .Where(t => !string.IsNullOrWhiteSpace(t))
                .Order(StringComparer.OrdinalIgnoreCase));
        return CompletionSupport.Offer(teams, wordToComplete);
    }
}
