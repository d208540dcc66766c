using System.Diagnostics;
using System.Net.Http.Json;
using GovukDeploy.GitHub;
using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Bench;

/// <summary>
/// Get-Release -Latest for 300 applications against the sandbox with 100 ms added to every GitHub
/// request: the bounded-concurrency query against the same calls made one after another (measured
/// in the same run), and a repeat of the query, whose requests the ETag cache should turn into 304s.
/// </summary>
public sealed class GitHubBench : IBenchmarkSuite
{
    private const int Applications = 300;
    private const int LatencyMs = 100;
    // Measured at the default limit, as users get it.
    private static readonly int ConcurrentThrottle = new GitHubConnectionOptions().ThrottleLimit;
    private const double TargetSpeedUp = 4;
    private const double TargetNotModifiedShare = 0.95;

    public string Name => "GitHub";

    public void Run(BenchReport report) => RunAsync(report).GetAwaiter().GetResult();

    private async Task RunAsync(BenchReport report)
    {
        var options = new SandboxOptions { Port = 0, WatchStdin = false };
        await using var server = await SandboxServer.StartAsync(options);
        var apps = new List<Application>();
        for (var i = 1; i <= Applications; i++)
        {
            var name = $"bench-app-{i:000}";
            server.Seed.App(name, null, 3 + i % 5);
            apps.Add(new Application { Name = name, Repository = "alphagov/" + name, DeployName = name });
        }
        var root = Path.Combine(Path.GetTempPath(), "govukdeploy-bench-github", Guid.NewGuid().ToString("N"));

        try
        {
            GitHubConnection Connect(string cache, int throttle) => GitHubConnection.Create(new GitHubConnectionOptions
            {
                ApiUrl = server.BaseUrl,
                Token = server.Credentials.GitHubToken,
                CacheDirectory = Path.Combine(root, cache),
                ThrottleLimit = throttle,
            });

            // Warm-up (JIT, connection pool) before the latency goes on.
            using (var warm = Connect("warm", 4))
            {
                await Concurrent(warm, apps.Take(20));
                await Sequential(warm, apps.Take(5));
            }

            using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
            (await http.PostAsJsonAsync("_sandbox/faults", new { service = "github", kind = "latency", ms = LatencyMs })).EnsureSuccessStatusCode();

            using var sequentialConnection = Connect("sequential", 4);
            var sequential = await Sequential(sequentialConnection, apps);

            using var concurrentConnection = Connect("concurrent", ConcurrentThrottle);
            var concurrent = await Concurrent(concurrentConnection, apps);

            // The repeat: a new session over the same cache folder.
            using var repeatConnection = Connect("concurrent", ConcurrentThrottle);
            var repeat = await Concurrent(repeatConnection, apps);
            var share = (double)repeatConnection.Statistics.NotModified / repeatConnection.Statistics.Requests;

            var speedUp = sequential.TotalSeconds / concurrent.TotalSeconds;
            report.Check(Name,
                $"Latest release of {Applications} apps, {ConcurrentThrottle} requests in flight, against one after another ({LatencyMs} ms latency)",
                speedUp, "x", speedUp >= TargetSpeedUp, $">= {TargetSpeedUp}x",
                $"one after another {sequential.TotalSeconds:0.0} s, {sequentialConnection.Statistics.Requests} requests; concurrent at the default GitHubThrottleLimit {concurrent.TotalSeconds:0.0} s");
            report.Check(Name,
                $"Repeat of the query: share of requests answered 304",
                share * 100, "%", share >= TargetNotModifiedShare, $">= {TargetNotModifiedShare:P0}",
                $"{repeatConnection.Statistics.NotModified} of {repeatConnection.Statistics.Requests} in {repeat.TotalSeconds:0.0} s");
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

    private static async Task<TimeSpan> Sequential(GitHubConnection github, IEnumerable<Application> apps)
    {
        var watch = Stopwatch.StartNew();
        foreach (var app in apps)
        {
            var latest = await github.Releases.GetLatestAsync(app);
            if (latest is null)
            {
                throw new InvalidOperationException($"{app.Name} has no release.");
            }
        }
        return watch.Elapsed;
    }

    private static async Task<TimeSpan> Concurrent(GitHubConnection github, IEnumerable<Application> apps)
    {
        var watch = Stopwatch.StartNew();
        await foreach (var result in github.Releases.GetLatestManyAsync(apps))
        {
            if (!result.Succeeded || result.Value is null)
            {
                throw new InvalidOperationException($"{result.Application.Name}: {result.Error?.Message ?? "no release"}");
            }
        }
        return watch.Elapsed;
    }
}
