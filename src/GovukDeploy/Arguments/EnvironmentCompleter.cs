using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace GovukDeploy.Commands;

/// <summary>Completes -Environment from the Environments setting, in promotion order.</summary>
internal sealed class EnvironmentCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var environments = CompletionSupport.Read(_ =>
            Task.FromResult<IEnumerable<string>>(Session.EngineServices.Current.Configuration.EnvironmentNames.Select(e => e.Trim())));
        return CompletionSupport.Offer(environments, wordToComplete);
    }
}
