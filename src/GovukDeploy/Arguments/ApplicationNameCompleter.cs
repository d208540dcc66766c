using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace GovukDeploy.Commands;

/// <summary>Completes -Application (and -Name) from the catalogue in the store: offline, retired applications last.</summary>
internal sealed class ApplicationNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var names = CompletionSupport.Read(async cancellation =>
            (await Session.EngineServices.Current.Store.GetApplicationsAsync(new Store.ApplicationQuery { IncludeRetired = true }, cancellation).ConfigureAwait(false))
                .OrderBy(a => a.Retired)
                .ThenBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
                .Select(a => a.Name));
        return CompletionSupport.Offer(names, wordToComplete);
    }
}
