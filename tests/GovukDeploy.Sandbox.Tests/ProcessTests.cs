using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>The sandbox as Start-GovukDeploySandbox runs it: `dotnet GovukDeploy.Sandbox.dll ...` as a child process.</summary>
public sealed class ProcessTests
{
    private static readonly string[] ReadyKeys =
    [
        "ready", "baseUrl", "gitHubApiUrl", "jenkinsUrl", "releaseAppUrl", "bankHolidayFeedUrl", "controlUrl",
        "gitHubToken", "jenkinsUser", "jenkinsApiToken", "releaseAppToken",
        "sentryUrl", "sentryOrganisation", "sentryToken", "icingaUrl", "icingaUser", "icingaPassword", "dashboardUrl",
    ];

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "GovukDeploy.Sandbox.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return Process.Start(info)!;
    }

    private static async Task<JsonElement> ReadReadyLine(Process process)
    {
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (string.IsNullOrEmpty(line))
        {
            // Only now is it safe to read stderr to its end: the process has ended.
            Assert.Fail("no ready line; stderr: " + await process.StandardError.ReadToEndAsync());
        }
        return JsonDocument.Parse(line!).RootElement.Clone();
    }

    [Fact]
    public async Task ItPrintsOneReadyLineAndExitsWhenItsStdinCloses()
    {
        using var process = Start("--port", "0", "--ci-seconds", "0.1");
        try
        {
            var ready = await ReadReadyLine(process);
            Assert.Equal(ReadyKeys.Order(), ready.EnumerateObject().Select(p => p.Name).Order());
            Assert.True(ready.GetProperty("ready").GetBoolean());
            var baseUrl = ready.GetProperty("baseUrl").GetString()!;
            Assert.Matches(@"^http://127\.0\.0\.1:\d+/$", baseUrl);
            Assert.Equal(baseUrl + "api/v3/", ready.GetProperty("gitHubApiUrl").GetString());

            using var http = new HttpClient();
            using (var health = await http.GetAsync(baseUrl + "_sandbox/health"))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            process.StandardInput.Close();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), "the sandbox kept running after stdin closed");
            Assert.Equal(0, process.ExitCode);
            Assert.Equal("", await process.StandardOutput.ReadToEndAsync());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [UnixFact]
    public async Task ItExitsCleanlyOnSigterm()
    {
        using var process = Start("--port", "0");
        try
        {
            await ReadReadyLine(process);
            Assert.Equal(0, Kill(process.Id, 15));
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), "the sandbox ignored SIGTERM");
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task ABadOptionIsExplainedOnStderr()
    {
        using var process = Start("--port", "not-a-port");
        var error = await process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--port", error);
        Assert.Equal("", await process.StandardOutput.ReadToEndAsync());
    }

    [Fact]
    public async Task APortInUseIsReportedAndItExits()
    {
        var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;
            using var process = Start("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var error = await process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
            Assert.Equal(1, process.ExitCode);
            Assert.Contains("could not start", error);
            Assert.Equal("", await process.StandardOutput.ReadToEndAsync());
        }
        finally
        {
            taken.Stop();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
