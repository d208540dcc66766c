using System.Reflection;
using GovukDeploy.Bench;

// Runs every benchmark suite (or those named on the command line) and exits non-zero when a target is missed.
var wanted = args.ToHashSet(StringComparer.OrdinalIgnoreCase);
var suites = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmarkSuite).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmarkSuite)Activator.CreateInstance(t)!)
    .Where(s => wanted.Count == 0 || wanted.Contains(s.Name))
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToList();

var report = new BenchReport();
foreach (var suite in suites)
{
    Console.WriteLine($"{suite.Name}:");
    suite.Run(report);
}

Console.WriteLine(report.Failures.Count == 0
    ? $"Engine benchmarks: all {suites.Count} suite(s) met their targets."
    : $"Engine benchmarks: targets missed: {string.Join("; ", report.Failures)}");
return report.Failures.Count == 0 ? 0 : 1;
