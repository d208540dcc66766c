using System.Management.Automation;
using GovukDeploy.Configuration;
using GovukDeploy.Sandbox;

namespace GovukDeploy.Commands;

/// <summary>Stops the sandbox this session started and takes the session's configuration off it.</summary>
[Cmdlet(VerbsLifecycle.Stop, "GovukDeploySandbox", SupportsShouldProcess = true, HelpUri = ProjectLinks.DocsRoot + "Stop-GovukDeploySandbox.md")]
[OutputType(typeof(SandboxInfo))]
public sealed class StopGovukDeploySandboxCommand : GovukDeployCmdlet
{
    /// <summary>What Start-GovukDeploySandbox points at the sandbox, and Stop puts back.</summary>
    internal static readonly string[] SandboxSettings =
    [
        SettingCatalogue.GitHubApiUrl, SettingCatalogue.JenkinsUrl, SettingCatalogue.JenkinsUser, SettingCatalogue.ReleaseAppUrl,
        SettingCatalogue.BankHolidayFeedUrl, SettingCatalogue.GitHubToken, SettingCatalogue.JenkinsApiToken, SettingCatalogue.ReleaseAppToken,
        SettingCatalogue.Store,
        SettingCatalogue.SentryUrl, SettingCatalogue.SentryOrganisation, SettingCatalogue.SentryAuthToken, SettingCatalogue.IcingaUrl,
        SettingCatalogue.IcingaUser, SettingCatalogue.IcingaPassword, SettingCatalogue.DashboardUrl,
    ];

    /// <summary>The sandbox to stop (from Start-GovukDeploySandbox's output); default the one running.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? BaseUrl { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecordCore()
    {
        var sandbox = SandboxProcess.Current;
        if (sandbox is null || (BaseUrl is not null && !string.Equals(BaseUrl, sandbox.Info.BaseUrl, StringComparison.OrdinalIgnoreCase)))
        {
            WriteWarning(BaseUrl is null ? "No sandbox is running in this session." : $"No sandbox of this session runs at {BaseUrl}.");
            return;
        }

        if (!this.ShouldProcessOrRefuse(sandbox.Info.BaseUrl, "Stop the sandbox and take this session's configuration off it"))
        {
            return;
        }

        // Back to the settings the session had before the sandbox, then the sandbox's own store can go.
        if (sandbox.ReplacedSettings is { } replaced)
        {
            Configuration.RestoreSession(replaced);
        }
        else
        {
            Configuration.ResetSession(SandboxSettings);
        }

        sandbox.Dispose();
        WriteVerbose($"Stopped the sandbox at {sandbox.Info.BaseUrl}.");
        if (PassThru)
        {
            WriteObject(sandbox.Info);
        }
    }
}
