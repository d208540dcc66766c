namespace GovukDeploy;

/// <summary>Where the project lives: the manifest's ProjectUri and each cmdlet's HelpUri (Get-Help -Online) start here.</summary>
internal static class ProjectLinks
{
    public const string Home = "https://github.com/govuk-deploy/GovukDeploy";

    /// <summary>Each cmdlet's help page is docs/&lt;Cmdlet&gt;.md under this.</summary>
    public const string DocsRoot = Home + "/blob/main/docs/";
}
