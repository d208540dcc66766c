using System.Globalization;
using System.Management.Automation;
using GovukDeploy.Configuration;
using GovukDeploy.Reporting;
using GovukDeploy.Sandbox;

namespace GovukDeploy.Commands;

/// <summary>
/// Starts the local stand-in for GitHub, Jenkins, the Release app, Sentry and Icinga on 127.0.0.1,
/// waits until it answers, and points this session's configuration at it.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "GovukDeploySandbox", SupportsShouldProcess = true, HelpUri = ProjectLinks.DocsRoot + "Start-GovukDeploySandbox.md")]
[OutputType(typeof(SandboxInfo))]
public sealed class StartGovukDeploySandboxCommand : GovukDeployCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    /// <summary>A GOV.UK catalogue file (applications.yml or repos.yml) to seed repositories from.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? SeedPath { get; set; }

    /// <summary>A bank-holidays.json in GOV.UK's format for the sandbox to serve as the feed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? HolidayFeedPath { get; set; }

    /// <summary>How long each Deploy_App build takes.</summary>
    [Parameter]
    [ValidateRange(0.0, 3600.0)]
    public double DeploySeconds { get; set; } = 3;

    /// <summary>How long each CI and Smokey build takes.</summary>
    [Parameter]
    [ValidateRange(0.0, 3600.0)]
    public double CiSeconds { get; set; } = 1;

    protected override void ProcessRecordCore()
    {
        if (!this.ShouldProcessOrRefuse("127.0.0.1", "Start the GovukDeploy sandbox and point this session at it"))
        {
            return;
        }

        var server = Path.Combine(Path.GetDirectoryName(typeof(StartGovukDeploySandboxCommand).Assembly.Location)!, "Sandbox", "GovukDeploy.Sandbox.dll");
        var arguments = new List<string>
        {
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--deploy-seconds", DeploySeconds.ToString(CultureInfo.InvariantCulture),
            "--ci-seconds", CiSeconds.ToString(CultureInfo.InvariantCulture),
        };
        if (SeedPath is not null)
        {
            arguments.AddRange(["--seed", SessionState.Path.GetUnresolvedProviderPathFromPSPath(SeedPath)]);
        }

        if (HolidayFeedPath is not null)
        {
            arguments.AddRange(["--holidays", SessionState.Path.GetUnresolvedProviderPathFromPSPath(HolidayFeedPath)]);
        }

        var sandbox = RunOnPipeline(async (reporter, cancellation) =>
        {
            reporter.Progress(new ProgressUpdate(1, "Start-GovukDeploySandbox", "Waiting for the sandbox to answer"));
            try
            {
                return await SandboxProcess.StartAsync(server, arguments, cancellation).ConfigureAwait(false);
            }
            finally
            {
                reporter.Progress(new ProgressUpdate(1, "Start-GovukDeploySandbox", "Ready", Completed: true));
            }
        });

        var info = sandbox.Info;

        // The sandbox's deploys, freezes and audit events go to a store of its own, so that they can
        // never satisfy a gate of a real deploy; the catalogue is copied over so the same names work.
        IReadOnlyList<Application> catalogue = [];
        try
        {
            catalogue = Await(ct => Engine.Store.GetApplicationsAsync(new GovukDeploy.Store.ApplicationQuery { IncludeRetired = true }, ct));
        }
        catch (Errors.GovukDeployException unreadable)
        {
            WriteWarning($"The sandbox starts with an empty catalogue: the current store could not be read ({unreadable.Message})");
        }

        sandbox.PrivateFolder = Path.Combine(Path.GetTempPath(), $"govukdeploy-sandbox-{System.Environment.ProcessId}-{info.ProcessId}");
        Directory.CreateDirectory(sandbox.PrivateFolder);
        sandbox.ReplacedSettings = Configuration.CaptureSession(StopGovukDeploySandboxCommand.SandboxSettings);
        var settings = new Dictionary<string, string>
        {
            [SettingCatalogue.GitHubApiUrl] = info.GitHubApiUrl,
            [SettingCatalogue.JenkinsUrl] = info.JenkinsUrl,
            [SettingCatalogue.JenkinsUser] = sandbox.JenkinsUser,
            [SettingCatalogue.ReleaseAppUrl] = info.ReleaseAppUrl,
            [SettingCatalogue.BankHolidayFeedUrl] = info.BankHolidayFeedUrl,
            [SettingCatalogue.Store] = "sqlite:" + Path.Combine(sandbox.PrivateFolder, "sandbox.db"),
        };
        // Sentry, Icinga and the dashboard, for Test-DeployHealth and Invoke-Deploy -Verify.
        foreach (var (name, value) in sandbox.HealthSettings)
        {
            settings[name] = value;
        }

        Configuration.SetSession(settings, sandbox.Secrets);
        // The private catalogue also gets the sandbox's own applications, so that Get-Release frontend
        // works at once; an application the user's catalogue already has keeps the user's entry.
        var served = ReadSandboxApplications(info);
        var known = new HashSet<string>(catalogue.Select(a => a.Name), StringComparer.OrdinalIgnoreCase);
        var privateCatalogue = catalogue.Concat(served.Where(a => !known.Contains(a.Name))).ToList();
        if (privateCatalogue.Count > 0)
        {
            Await(ct => Engine.Store.UpsertApplicationsAsync(privateCatalogue, Engine.Actor, ct));
        }
        WriteInformation($"Sandbox running at {info.BaseUrl}: GitHub {info.GitHubApiUrl}, Jenkins {info.JenkinsUrl}, Release app {info.ReleaseAppUrl}, Sentry {info.SentryUrl}, Icinga {info.IcingaUrl}. This session now uses it, with a store of its own holding a copy of the catalogue ({catalogue.Count} applications) and the sandbox's own ({privateCatalogue.Count - catalogue.Count} more).", ["GovukDeploy"]);
        WriteObject(info);
    }

    private IReadOnlyList<Application> ReadSandboxApplications(SandboxInfo info)
    {
        try
        {
            return Await(ct => SandboxCatalogue.ReadAsync(info, ct));
        }
        catch (Exception unreadable) when (unreadable is HttpRequestException or System.Text.Json.JsonException ||
            (unreadable is TaskCanceledException && !Cancellation.IsCancellationRequested))
        {
            WriteWarning($"The sandbox's own applications are not in the catalogue: its Release app's list could not be read ({unreadable.Message}). Add them with New-Application.");
            return [];
        }
    }
}
