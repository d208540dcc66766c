using System.Diagnostics;
using GovukDeploy.Configuration;
using GovukDeploy.Deploys;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.Holidays;
using GovukDeploy.Jenkins;
using GovukDeploy.Reporting;
using GovukDeploy.Sandbox.Hosting;
using GovukDeploy.Store;
using GovukDeploy.DeployWindows;
using NodaTime;
using NodaTime.Testing;

namespace GovukDeploy.Bench;

/// <summary>
/// Deploys against the sandbox (started in-process on 127.0.0.1) with the engine's default polling:
/// the time a deploy adds on top of the Jenkins build's own duration (gates, trigger, queue, following,
/// recording), and ten apps with a throttle of five against one deploy's duration, in the same run.
/// </summary>
public sealed class DeployBench : IBenchmarkSuite
{
    private const double BuildSeconds = 2;
    private const double TargetOverheadSeconds = 1.5;
    private const double TargetCpuSharePercent = 10;
    private const double TargetBulkRatio = 2.5;
    private const int Apps = 10;
    private const int Throttle = 5;

    public string Name => "Deploys";

    public void Run(BenchReport report) => RunAsync(report).GetAwaiter().GetResult();

    private async Task RunAsync(BenchReport report)
    {
        var folder = Path.Combine(Path.GetTempPath(), "govukdeploy-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var server = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, DeploySeconds = BuildSeconds, CiSeconds = 0.2, WatchStdin = false });
        var store = DeployStoreFactory.Open("sqlite:" + Path.Combine(folder, "store.db"));
        try
        {
            await store.InitializeAsync();
            var names = Enumerable.Range(1, Apps).Select(i => $"bench-app-{i:00}").ToList();
            foreach (var name in names)
            {
                server.Seed.App(name, null, 2);
            }
            await store.UpsertApplicationsAsync(names.Select(n => new Application { Name = n, Repository = "alphagov/" + n, DeployName = n }).ToList(), "bench");

            using var jenkins = new JenkinsClientFactory(
                new JenkinsConnection(server.BaseUrl + "jenkins/{environment}/", server.Credentials.JenkinsUser, new Secret(server.Credentials.JenkinsApiToken)));
            var settings = new DeploySettings();
            // A Tuesday morning, so that the window gate does real work and passes.
            var clock = new FakeClock(Instant.FromUtc(2026, 11, 24, 10, 0));
            var gates = new DeployGateEvaluator(store, new DeployWindowService(clock, DeployWindowPolicy.Build(), new BankHolidayCalendar()), clock, settings,
                jenkinsEstimate: (environment, token) => jenkins.For(environment).GetEstimatedDurationAsync(settings.DeployJobName, token));
            var service = new DeployService(gates, new DeployRunner(store, jenkins, settings));

            GateRequest Request(string app, string release) => new()
            {
                Deploy = new DeployRequest { Application = app, Environment = "integration", Release = release, Actor = "bench" },
                RefExists = (_, _, _) => Task.FromResult(true),
                OtherPeoplesChanges = (_, _) => Task.FromResult<IReadOnlyList<UndeployedCommit>>([]),
            };

            // One deploy at a time: wall time against the build's own duration as Jenkins reports it.
            var overheads = new List<double>();
            var singles = new List<double>();
            var cpuWhileDeploying = TimeSpan.Zero;
            var wallWhileDeploying = 0.0;
            for (var run = 0; run < 10; run++)
            {
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var deployment = await service.DeployAsync(Request(names[0], run % 2 == 0 ? "release_2" : "release_1"), NullReporter.Instance, CancellationToken.None);
                var wall = watch.Elapsed.TotalSeconds;
                var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                var build = await jenkins.For("integration").GetBuildAsync(deployment.BuildUrl!, CancellationToken.None);
                if (run > 4)
                {
                    // The first runs warm up the clients, the store and the JIT (tiered compilation settles after a few).
                    overheads.Add(wall - build.Duration.TotalSeconds);
                    singles.Add(wall);
                    cpuWhileDeploying += cpu;
                    wallWhileDeploying += wall;
                }
            }

            var overhead = Median(overheads);
            var single = Median(singles);
            report.Check(Name, $"time added on top of a {BuildSeconds:0.#} s Jenkins build (gates, queue, following, recording)",
                overhead, "s", overhead <= TargetOverheadSeconds, $"<= {TargetOverheadSeconds} s", $"one deploy {single:0.00} s");

            // Idle while it waits: the CPU time this process (the engine, and the in-process sandbox
            // serving its polls) uses during a deploy, as a share of the deploy's wall time.
            var cpuShare = cpuWhileDeploying.TotalSeconds / wallWhileDeploying * 100;
            report.Check(Name, "CPU used while following a deploy, as a share of its wall time", cpuShare, "%", cpuShare <= TargetCpuSharePercent,
                $"<= {TargetCpuSharePercent} % of one core", $"{cpuWhileDeploying.TotalMilliseconds:0} ms of CPU in {wallWhileDeploying:0.00} s");

            var bulkWatch = Stopwatch.StartNew();
            var failures = 0;
            await foreach (var result in service.DeployManyAsync(names.Select(n => Request(n, "release_2")), Throttle, NullReporter.Instance, CancellationToken.None))
            {
                failures += result.Succeeded ? 0 : 1;
            }
            var bulk = bulkWatch.Elapsed.TotalSeconds;
            var ratio = bulk / single;
            report.Check(Name, $"{Apps} apps with throttle {Throttle} against one deploy", ratio, "x",
                ratio <= TargetBulkRatio && failures == 0, $"<= {TargetBulkRatio}x, no failures", $"{bulk:0.00} s vs {single:0.00} s, {failures} failed");
        }
        finally
        {
            await store.DisposeAsync();
            await server.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
