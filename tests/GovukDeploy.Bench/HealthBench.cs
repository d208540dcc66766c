using System.Diagnostics;
using System.Net.Http.Json;
using GovukDeploy.Configuration;
using GovukDeploy.Reporting;
using GovukDeploy.Sandbox.Hosting;
using GovukDeploy.Session;
using NodaTime;

namespace GovukDeploy.Bench;

/// <summary>
/// Test-DeployHealth against the sandbox's Sentry and Icinga (started in-process on 127.0.0.1): the
/// requests one application costs (at most one Sentry request a page and one Icinga request, counted by
/// the sandbox), and 50 applications with a throttle of 6 and 100 ms added to every Sentry and Icinga
/// request, against the same 50 one after another, in interleaved rounds of the same run (medians); and the CPU
/// used while -Verify stays around.
/// </summary>
public sealed class HealthBench : IBenchmarkSuite
{
    private const int Applications = 50;
    private const int Throttle = 6;
    private const int LatencyMs = 100;
    private const int Rounds = 3;
    private const double TargetSpeedUp = 4;
    private const double TargetCpuSharePercent = 10;
    private const int VerifySeconds = 8;

    public string Name => "Health";

    public void Run(BenchReport report) => RunAsync(report).GetAwaiter().GetResult();

    private async Task RunAsync(BenchReport report)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, WatchStdin = false, GeneratedApps = Applications });
        var root = Path.Combine(Path.GetTempPath(), "govukdeploy-bench-health", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var apps = server.GitHub.Repositories().Where(r => r.Name.StartsWith("app-", StringComparison.Ordinal))
                .Select(r => new Application { Name = r.Name, Repository = r.FullName, DeployName = r.DeployName }).ToList();
            var settings = new Dictionary<string, string>
            {
                ["GOVUK_DEPLOY_STORE"] = "sqlite:" + Path.Combine(root, "store.db"),
                ["GOVUK_DEPLOY_SENTRY_URL"] = server.BaseUrl + "sentry/",
                ["SENTRY_AUTH_TOKEN"] = server.Credentials.SentryToken,
                ["GOVUK_DEPLOY_ICINGA_URL"] = server.BaseUrl + "icinga/{environment}/",
                ["ICINGA_USER"] = server.Credentials.IcingaUser,
                ["ICINGA_PASSWORD"] = server.Credentials.IcingaPassword,
            };
            var engine = new EngineServices(new DeployConfiguration(name => settings.GetValueOrDefault(name), () => Path.Combine(root, "config.json")), SystemClock.Instance);
            await engine.Store.UpsertApplicationsAsync(apps, "bench");
            var since = DateTimeOffset.UtcNow.AddMinutes(-30);

            // One application, one page of issues; then one whose issues since the deploy fill three pages.
            await CheckAsync(engine, [apps[0]], since, 1);
            server.Requests.Reset();
            await CheckAsync(engine, [apps[0]], since, 1);
            var (sentryOne, icingaOne) = (server.Requests["sentry"], server.Requests["icinga"]);
            var busy = server.Sentry.FindProject(apps[1].Name)!;
            for (var i = 0; i < 250; i++)
            {
                server.Sentry.AddIssue(busy, $"RuntimeError: bench {i}", "error", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1);
            }

            server.Requests.Reset();
            await CheckAsync(engine, [apps[1]], since, 1);
            var (sentryPaged, icingaPaged) = (server.Requests["sentry"], server.Requests["icinga"]);
            report.Check(Name, "requests for one application (Sentry + Icinga), one page of issues", sentryOne + icingaOne, "requests",
                sentryOne == 1 && icingaOne == 1, "1 Sentry + 1 Icinga", $"Sentry {sentryOne}, Icinga {icingaOne}");
            report.Check(Name, "requests for one application whose 250 new issues fill 3 pages", sentryPaged + icingaPaged, "requests",
                sentryPaged == 3 && icingaPaged == 1, "3 Sentry (one a page) + 1 Icinga", $"Sentry {sentryPaged}, Icinga {icingaPaged}");

            using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
            foreach (var service in new[] { "sentry", "icinga" })
            {
                (await http.PostAsJsonAsync("_sandbox/faults", new { service, kind = "latency", ms = LatencyMs })).EnsureSuccessStatusCode();
            }

            var sequential = new List<double>();
            var throttled = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                sequential.Add(await CheckAsync(engine, apps, since, 1));
                throttled.Add(await CheckAsync(engine, apps, since, Throttle));
            }

            var one = Median(sequential);
            var many = Median(throttled);
            var speedUp = one / many;
            report.Check(Name, $"{apps.Count} applications with throttle {Throttle} and {LatencyMs} ms latency, against one after another", speedUp, "x",
                speedUp >= TargetSpeedUp, $">= {TargetSpeedUp}x", $"{many:0.00} s vs {one:0.00} s, medians of {Rounds} interleaved rounds");

            // Staying around (-Verify): the CPU this process (the engine, and the in-process sandbox serving its checks) uses while
            // verifying, as a share of the wall time, checking every second (the default is every 30 s).
            var target = new Health.HealthTarget(apps[0], "staging", since, null);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var verifying = Stopwatch.StartNew();
            await Health.DeployVerifier.VerifyAsync(engine.Health, target, TimeSpan.FromSeconds(VerifySeconds), TimeSpan.FromSeconds(1), NullReporter.Instance, CancellationToken.None);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var share = cpu.TotalSeconds / verifying.Elapsed.TotalSeconds * 100;
            report.Check(Name, "CPU used while verifying, as a share of its wall time", share, "%", share <= TargetCpuSharePercent,
                $"<= {TargetCpuSharePercent} % of one core", $"{cpu.TotalMilliseconds:0} ms of CPU in {verifying.Elapsed.TotalSeconds:0.0} s, a check every second");
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Test-DeployHealth's engine for the applications, in seconds; every one must get a verdict.</summary>
    private static async Task<double> CheckAsync(EngineServices engine, IReadOnlyList<Application> apps, DateTimeOffset since, int throttle)
    {
        var watch = Stopwatch.StartNew();
        var count = 0;
        await foreach (var result in engine.DeployHealthAsync(apps.Select(a => new HealthRequest(a.Name, "staging", since)).ToList(), throttle,
            NullReporter.Instance, null, CancellationToken.None))
        {
            if (result.Error is not null || result.Result!.Verdict == HealthVerdict.Unknown)
            {
                throw new InvalidOperationException($"{result.Item}: {result.Error?.Message ?? result.Result!.Summary}");
            }

            count++;
        }

        return count == apps.Count ? watch.Elapsed.TotalSeconds : throw new InvalidOperationException($"{count} verdicts for {apps.Count} applications.");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
