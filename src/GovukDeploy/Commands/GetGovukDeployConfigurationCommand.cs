using System.Management.Automation;

namespace GovukDeploy.Commands;

/// <summary>Shows the effective settings and where each came from; secrets only as set or not set.</summary>
[Cmdlet(VerbsCommon.Get, "GovukDeployConfiguration", HelpUri = ProjectLinks.DocsRoot + "Get-GovukDeployConfiguration.md")]
[OutputType(typeof(ConfigurationSetting))]
public sealed class GetGovukDeployConfigurationCommand : GovukDeployCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SettingNameCompleter))]
    public string[]? Name { get; set; }

    protected override void BeginProcessingCore()
    {
        foreach (var ignored in Configuration.IgnoredUserFileNames)
        {
            WriteWarning($"The configuration file '{Configuration.UserFilePath}' holds '{ignored}', which is not a setting it may hold (unknown, or a secret); it is ignored.");
        }
    }

    protected override void ProcessRecordCore()
    {
        var patterns = (Name ?? ["*"]).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var name in Name ?? [])
        {
            if (!WildcardPattern.ContainsWildcardCharacters(name))
            {
                // An exact name that is not a setting is an error, with the known names listed.
                Configuration.Describe(GovukDeploy.Configuration.DeployConfiguration.Definition(name));
            }
        }

        foreach (var setting in Configuration.Describe().Where(s => patterns.Any(p => p.IsMatch(s.Name))))
        {
            WriteObject(setting);
        }
    }
}
