using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace GovukDeploy.Commands;

/// <summary>Completes a setting's name (Get-/Set-GovukDeployConfiguration -Name, -Reset) from the setting catalogue.</summary>
internal sealed class SettingNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var names = CompletionSupport.Read(_ =>
            Task.FromResult(Configuration.SettingCatalogue.All.Select(s => s.Name)));
        return CompletionSupport.Offer(names, wordToComplete);
    }
}
