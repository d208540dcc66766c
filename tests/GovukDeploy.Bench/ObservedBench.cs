using System.Diagnostics;
using System.Net.Http.Json;
using GovukDeploy.Configuration;
using GovukDeploy.GitHub;
using GovukDeploy.Jenkins;
using GovukDeploy.Reporting;
using GovukDeploy.Sandbox.Hosting;
using GovukDeploy.Sandbox.Jenkins;
using GovukDeploy.Session;
using NodaTime;

namespace GovukDeploy.Bench;

/// <summary>
/// What really runs, for 300 applications whose Deploy_App history spans about 3,000 builds, with
/// 100 ms added to every Jenkins and GitHub request. Cold (a new store: every Jenkins read from the
/// start) and warm (the store's view younger than DeploymentSyncMaxAge), against a baseline of one
/// Jenkins request per application and environment, measured in the same run. Rounds interleave
/// the measurements and the medians are reported. Get-DeployStatus also lists each application's
/// release tags, one GitHub request per application at the default GitHubThrottleLimit: that floor
/// is GitHub's (it has no bulk tag listing), so it is measured on its own in the same rounds.
/// </summary>
public sealed class ObservedBench : IBenchmarkSuite
{
    private const int Applications = 300;
    private const int LatencyMs = 100;
    private const int Rounds = 3;
    private const int BaselineSample = 30;
    private const double TargetColdSeconds = 3;
    private const double TargetSpeedUp = 20;
    private const double TargetWarmMs = 100;

    public string Name => "Observed";

    public void Run(BenchReport report) => RunAsync(report).GetAwaiter().GetResult();

    private async Task RunAsync(BenchReport report)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, WatchStdin = false, GeneratedApps = Applications });
        var root = Path.Combine(Path.GetTempPath(), "govukdeploy-bench-observed", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var builds = JenkinsFarm.DeployEnvironments.Sum(e => server.Farm[e].FindJob("Deploy_App")!.Builds.Count);
        var apps = server.GitHub.Repositories()
            .Where(r => r.Name.StartsWith("app-", StringComparison.Ordinal))
            .Select(r => new Application { Name = r.Name, Repository = r.FullName, DeployName = r.DeployName })
            .ToList();
        Console.WriteLine($"  {apps.Count} applications, {builds} Deploy_App builds across {JenkinsFarm.DeployEnvironments.Length} Jenkins");

        try
        {
            var storeNumber = 0;
            async Task<EngineServices> Engine()
            {
                var settings = new Dictionary<string, string>
                {
                    ["GOVUK_DEPLOY_GITHUB_API_URL"] = server.BaseUrl + "api/v3/",
                    ["GITHUB_TOKEN"] = server.Credentials.GitHubToken,
                    ["GOVUK_DEPLOY_JENKINS_URL"] = server.BaseUrl + "jenkins/{environment}/",
                    ["JENKINS_USER"] = server.Credentials.JenkinsUser,
                    ["JENKINS_API_TOKEN"] = server.Credentials.JenkinsApiToken,
                    ["GOVUK_DEPLOY_STORE"] = "sqlite:" + Path.Combine(root, $"store-{storeNumber++}.db"),
                };
                var engine = new EngineServices(new DeployConfiguration(name => settings.GetValueOrDefault(name), () => Path.Combine(root, "config.json")), SystemClock.Instance);
                await engine.Store.UpsertApplicationsAsync(apps, "bench");
                return engine;
            }

            // Warm-up (JIT, connection pools, the ETag cache) before the latency goes on.
            await Status(await Engine(), apps);

            using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
            foreach (var service in new[] { "jenkins", "github" })
            {
                (await http.PostAsJsonAsync("_sandbox/faults", new { service, kind = "latency", ms = LatencyMs })).EnsureSuccessStatusCode();
            }

            using var baselineJenkins = new JenkinsClientFactory(new JenkinsConnection(server.BaseUrl + "jenkins/{environment}/",
                server.Credentials.JenkinsUser, new Secret(server.Credentials.JenkinsApiToken)));
            var environments = JenkinsFarm.DeployEnvironments.ToList();
            var baselinePerRequest = new List<double>();
            var coldRunning = new List<double>();
            var coldStatus = new List<double>();
            var floor = new List<double>();
            var warmRunning = new List<double>();
            var warmStatus = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                // Baseline: one Jenkins request per application and environment, one after another (a sample, per request).
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < BaselineSample; i++)
                {
                    var environment = environments[i % environments.Count];
                    await baselineJenkins.For(environment).GetBuildHistoryAsync("Deploy_App", 0, 100, CancellationToken.None);
                }
                baselinePerRequest.Add(watch.Elapsed.TotalSeconds / BaselineSample);

                // Cold: a new store, so every Jenkins is read from the start.
                var engine = await Engine();
                watch.Restart();
                var running = await engine.RunningAsync(apps, offline: false, engine.GitHub(NullReporter.Instance), NullReporter.Instance, CancellationToken.None);
                coldRunning.Add(watch.Elapsed.TotalSeconds);
                if (!running.Observation.AllKnown || apps.Any(a => running.For(a.Name).Count == 0))
                {
                    throw new InvalidOperationException("The cold read did not learn what every application runs.");
                }

                // The whole of Get-DeployStatus on a second new store.
                coldStatus.Add(await Status(await Engine(), apps));

                // GitHub's floor: the release tags alone, at the default throttle.
                watch.Restart();
                var gitHub = engine.GitHub(NullReporter.Instance);
                await foreach (var _ in GitHubBatch.RunAsync(apps, gitHub.ThrottleLimit, (a, ct) => gitHub.Releases.ListReleaseTagsAsync(a, null, ct), CancellationToken.None))
                {
                }
                floor.Add(watch.Elapsed.TotalSeconds);

                // Warm: the same store, its view just read.
                watch.Restart();
                await engine.RunningAsync(apps, offline: false, gitHub, NullReporter.Instance, CancellationToken.None);
                warmRunning.Add(watch.Elapsed.TotalMilliseconds);
                warmStatus.Add(await Status(engine, apps));
            }

            var baseline = Median(baselinePerRequest) * apps.Count * environments.Count;
            var cold = Median(coldRunning);
            var speedUp = baseline / cold;
            report.Check(Name, $"Cold: what {apps.Count} applications run in {environments.Count} environments ({builds} builds, {LatencyMs} ms latency)",
                cold, "s", cold <= TargetColdSeconds, $"<= {TargetColdSeconds} s");
            report.Check(Name, "Cold: against one Jenkins request per application and environment",
                speedUp, "x", speedUp >= TargetSpeedUp, $">= {TargetSpeedUp}x",
                $"baseline {baseline:0.0} s = {apps.Count * environments.Count} requests at the median {Median(baselinePerRequest) * 1000:0} ms of {BaselineSample} sequential ones a round");
            var status = Median(coldStatus);
            var gitHubFloor = Median(floor);
            report.Check(Name, "Cold Get-DeployStatus beyond GitHub's floor (release tags, one request an application)",
                status - gitHubFloor, "s", status - gitHubFloor <= TargetColdSeconds, $"<= {TargetColdSeconds} s",
                $"whole {status:0.00} s; the tags alone {gitHubFloor:0.00} s at GitHubThrottleLimit {new GitHubConnectionOptions().ThrottleLimit}");
            var warm = Median(warmRunning);
            report.Check(Name, "Warm: what they run, the store's view younger than DeploymentSyncMaxAge",
                warm, "ms", warm <= TargetWarmMs, $"<= {TargetWarmMs} ms",
                $"warm Get-DeployStatus whole {Median(warmStatus):0.00} s, of which GitHub's tag floor (304s, still {LatencyMs} ms each) as above");
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

    /// <summary>The engine's Get-DeployStatus for every application, in seconds; every one must get a status.</summary>
    private static async Task<double> Status(EngineServices engine, IReadOnlyList<Application> apps)
    {
        var watch = Stopwatch.StartNew();
        var count = 0;
        await foreach (var result in engine.DeployStatusesAsync(apps, offline: false, NullReporter.Instance, null, CancellationToken.None))
        {
            if (result.Error is not null || result.Value is null)
            {
                throw new InvalidOperationException($"{result.Application.Name}: {result.Error?.Message}");
            }
            count++;
        }
        if (count != apps.Count)
        {
            throw new InvalidOperationException($"{count} statuses for {apps.Count} applications.");
        }
        return watch.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
