using System.Diagnostics;

namespace GovukDeploy.Bench;

/// <summary>Collects results and prints them as one line each: value, baseline, ratio, target, verdict.</summary>
public sealed class BenchReport
{
    private readonly List<string> _failures = [];

    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Median wall time of <paramref name="runs"/> calls, after one warm-up call.</summary>
    public static TimeSpan Median(int runs, Action action)
    {
        action();
        var samples = new List<TimeSpan>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            samples.Add(watch.Elapsed);
        }
        samples.Sort();
        return samples[samples.Count / 2];
    }

    /// <summary>Prints a measurement and records a failure when it misses its target.</summary>
    public void Check(string suite, string what, double value, string unit, bool meetsTarget, string target, string? comparison = null)
    {
        var verdict = meetsTarget ? "ok" : "MISSED";
        Console.WriteLine($"  [{verdict,6}] {suite}: {what} = {value:0.###} {unit}{(comparison is null ? "" : $" ({comparison})")}; target {target}");
        if (!meetsTarget)
        {
            _failures.Add($"{suite}: {what}");
        }
    }
}
