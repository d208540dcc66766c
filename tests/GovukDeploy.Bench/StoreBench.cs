using System.Diagnostics;
using GovukDeploy.Store;

namespace GovukDeploy.Bench;

/// <summary>
/// The SQLite store: importing a 1,000-app catalogue in one transaction against the same
/// writes made one transaction per app, and a wildcard name query over 1,000 apps.
/// </summary>
public sealed class StoreBench : IBenchmarkSuite
{
    private const int AppCount = 1000;

    public string Name => "Store";

    public void Run(BenchReport report) => RunAsync(report).GetAwaiter().GetResult();

    private async Task RunAsync(BenchReport report)
    {
        var folder = Path.Combine(Path.GetTempPath(), "govuk-deploy-bench", Guid.NewGuid().ToString("N"));
        try
        {
            var catalogue = Catalogue();

            // One transaction: the median of five imports, each into a new store, after one
            // that warms up the code paths (as a session's first command would).
            var batched = new List<TimeSpan>();
            for (var run = -1; run < 5; run++)
            {
                await using var store = await OpenAsync(folder, $"batched{run + 1}.db");
                var watch = Stopwatch.StartNew();
                var result = await store.UpsertApplicationsAsync(catalogue, "bench");
                if (run >= 0)
                {
                    batched.Add(watch.Elapsed);
                }
                if (result.Added != AppCount)
                {
                    throw new InvalidOperationException($"The import added {result.Added} apps, not {AppCount}.");
                }
            }
            batched.Sort();
            var batchedTime = batched[batched.Count / 2];

            // One transaction per app: the same rows and audit events, committed 1,000 times.
            TimeSpan perAppTime;
            await using (var store = await OpenAsync(folder, "per-app.db"))
            {
                var watch = Stopwatch.StartNew();
                foreach (var application in catalogue)
                {
                    await store.UpsertApplicationsAsync([application], "bench");
                }
                perAppTime = watch.Elapsed;
            }

            var ratio = perAppTime / batchedTime;
            report.Check(Name, "import 1,000 apps in one transaction", batchedTime.TotalMilliseconds, "ms",
                batchedTime <= TimeSpan.FromSeconds(1), "<= 1000 ms");
            report.Check(Name, "one transaction per app / one transaction", ratio, "x",
                ratio >= 20, ">= 20x", $"{perAppTime.TotalMilliseconds:0} ms vs {batchedTime.TotalMilliseconds:0} ms");

            // A warm session: the store is open and initialised; the query is what Get-Application -Name 'w*' runs.
            await using (var store = await OpenAsync(folder, "batched1.db"))
            {
                var query = new ApplicationQuery { Names = ["w*"] };
                var matches = 0;
                var median = BenchReport.Median(21, () => matches = store.GetApplicationsAsync(query).GetAwaiter().GetResult().Count);
                var expected = catalogue.Count(a => a.Name.StartsWith('w') && !a.Retired);
                if (matches != expected)
                {
                    throw new InvalidOperationException($"w* matched {matches} apps, not {expected}.");
                }
                report.Check(Name, $"Get-Application 'w*' over 1,000 apps ({matches} match)", median.TotalMilliseconds, "ms",
                    median <= TimeSpan.FromMilliseconds(50), "<= 50 ms warm");
            }
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }

    private static async Task<IDeployStore> OpenAsync(string folder, string file)
    {
        var store = DeployStoreFactory.Open("sqlite:" + Path.Combine(folder, file));
        await store.InitializeAsync();
        return store;
    }

    /// <summary>1,000 apps with names spread over the alphabet, some retired, like GOV.UK's catalogue.</summary>
    private static IReadOnlyList<Application> Catalogue()
    {
        var random = new Random(20261126);
        var words = new[] { "publisher", "frontend", "api", "admin", "finder", "manager", "worker", "search", "content", "store" };
        return Enumerable.Range(0, AppCount).Select(i =>
        {
            var name = $"{(char)('a' + i % 26)}{words[random.Next(words.Length)]}-{i:0000}";
            return new Application
            {
                Name = name,
                Repository = $"alphagov/{name}",
                DeployName = name,
                Team = $"#govuk-team-{i % 12}",
                Type = i % 3 == 0 ? "APIs" : "Frontend apps",
                Retired = i % 17 == 0,
            };
        }).ToList();
    }
}
