using System.Diagnostics;
using System.Text.Json;
using GovukDeploy.Configuration;
using GovukDeploy.Errors;

namespace GovukDeploy.Sandbox;

/// <summary>
/// The sandbox server as a child process. It prints one JSON line when it is ready,
/// and stops when its standard input closes, so it never outlives the shell that started it.
/// </summary>
public sealed class SandboxProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private SandboxProcess(Process process, SandboxInfo info, IReadOnlyDictionary<string, Secret> secrets, string jenkinsUser,
        IReadOnlyDictionary<string, string>? healthSettings = null)
    {
        _process = process;
        Info = info;
        Secrets = secrets;
        JenkinsUser = jenkinsUser;
        HealthSettings = healthSettings ?? new Dictionary<string, string>();
    }

    /// <summary>The sandbox this process started, if it is still running.</summary>
    public static SandboxProcess? Current { get; private set; }

    public SandboxInfo Info { get; }

    /// <summary>The sandbox's own tokens, for the session configuration; never shown.</summary>
    public IReadOnlyDictionary<string, Secret> Secrets { get; }

    public string JenkinsUser { get; }

    /// <summary>The settings that point the health checks at the sandbox's Sentry, Icinga and dashboard (empty for an older sandbox).</summary>
    public IReadOnlyDictionary<string, string> HealthSettings { get; }

    /// <summary>The session settings the sandbox replaced, to put back when it stops.</summary>
    public IReadOnlyDictionary<string, object?>? ReplacedSettings { get; set; }

    /// <summary>A private folder for the sandbox's own store, removed when it stops.</summary>
    public string? PrivateFolder { get; set; }

    public bool HasExited => _process.HasExited;

    public static async Task<SandboxProcess> StartAsync(string serverAssembly, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (Current is { HasExited: false } running)
        {
            throw ErrorCatalogue.SandboxAlreadyRunning(running.Info.BaseUrl, running.Info.ProcessId);
        }

        if (!File.Exists(serverAssembly))
        {
            throw ErrorCatalogue.SandboxNotInstalled(serverAssembly);
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(serverAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw ErrorCatalogue.SandboxDidNotStart(serverAssembly, "its process could not be started", null);
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw ErrorCatalogue.SandboxDidNotStart(serverAssembly, $"it did not say it was ready within {StartTimeout.TotalSeconds:0} seconds", errors.ToString());
        }

        if (line is null)
        {
            process.WaitForExit(5000);
            throw ErrorCatalogue.SandboxDidNotStart(serverAssembly, "it stopped before it was ready", errors.ToString());
        }

        using var ready = JsonDocument.Parse(line);
        var root = ready.RootElement;
        string Text(string name) => root.GetProperty(name).GetString() ?? "";
        string? Optional(string name) => root.TryGetProperty(name, out var value) ? value.GetString() : null;
        var info = new SandboxInfo
        {
            BaseUrl = Text("baseUrl"),
            GitHubApiUrl = Text("gitHubApiUrl"),
            JenkinsUrl = Text("jenkinsUrl"),
            ReleaseAppUrl = Text("releaseAppUrl"),
            BankHolidayFeedUrl = Text("bankHolidayFeedUrl"),
            ControlUrl = Text("controlUrl"),
            SentryUrl = Optional("sentryUrl"),
            IcingaUrl = Optional("icingaUrl"),
            DashboardUrl = Optional("dashboardUrl"),
            ProcessId = process.Id,
            StartedAt = DateTimeOffset.Now,
        };
        var secrets = new Dictionary<string, Secret>
        {
            [SettingCatalogue.GitHubToken] = new(Text("gitHubToken")),
            [SettingCatalogue.JenkinsApiToken] = new(Text("jenkinsApiToken")),
            [SettingCatalogue.ReleaseAppToken] = new(Text("releaseAppToken")),
        };
        var health = new Dictionary<string, string>();
        if (info.SentryUrl is not null && Optional("sentryToken") is { Length: > 0 } sentryToken)
        {
            health[SettingCatalogue.SentryUrl] = info.SentryUrl;
            health[SettingCatalogue.SentryOrganisation] = Text("sentryOrganisation");
            secrets[SettingCatalogue.SentryAuthToken] = new(sentryToken);
        }

        if (info.IcingaUrl is not null && Optional("icingaPassword") is { Length: > 0 } icingaPassword)
        {
            health[SettingCatalogue.IcingaUrl] = info.IcingaUrl;
            health[SettingCatalogue.IcingaUser] = Text("icingaUser");
            secrets[SettingCatalogue.IcingaPassword] = new(icingaPassword);
        }

        if (info.DashboardUrl is not null)
        {
            health[SettingCatalogue.DashboardUrl] = info.DashboardUrl;
        }

        Current = new SandboxProcess(process, info, secrets, Text("jenkinsUser"), health);
        return Current;
    }

    /// <summary>Closes the sandbox's standard input (it stops by itself), and kills it if it lingers.</summary>
    public void Stop()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000))
            {
                Kill(_process);
            }
        }
        finally
        {
            if (ReferenceEquals(Current, this))
            {
                Current = null;
            }

            if (PrivateFolder is not null && Directory.Exists(PrivateFolder))
            {
                try
                {
                    Directory.Delete(PrivateFolder, recursive: true);
                }
                catch (IOException)
                {
                    // A store file still open elsewhere in this session; the temp folder is cleaned later by the system.
                }
            }
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }

    /// <summary>The dotnet host that runs this process, else the one on PATH.</summary>
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        var fromHost = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromHost) && File.Exists(fromHost))
        {
            return fromHost;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        return !string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, name)) ? Path.Combine(root, name) : name;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
