using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace GovukDeploy.Bench;

/// <summary>
/// What importing the built module costs a fresh pwsh, against importing an empty module in the same
/// run: each round starts one pwsh for each, in alternating order so that background load falls on
/// both alike, and the medians are compared. The target is at most 50 ms over the empty module.
/// Import-Module is timed inside the pwsh, so that the start of pwsh itself (seconds on a busy
/// machine) does not drown the difference; the CPU time it took is printed too, being the figure
/// that load changes least. It needs the module built (build.ps1 Bench builds it and says where,
/// with the pwsh to use).
/// </summary>
public sealed class ImportBench : IBenchmarkSuite
{
    private const int Rounds = 21;
    private const double TargetAddedMilliseconds = 50;

    public string Name => "Import";

    public void Run(BenchReport report)
    {
        var module = Environment.GetEnvironmentVariable("GOVUK_DEPLOY_BENCH_MODULE") ?? FindBuiltModule();
        if (module is null || !File.Exists(module))
        {
            // Fail closed: a missing module must not read as a met target.
            report.Check(Name, "import cost", double.NaN, "ms", meetsTarget: false, "the module built first (build.ps1 Bench)");
            return;
        }

        var pwsh = PwshCommand();
        var emptyModule = Path.Combine(Path.GetTempPath(), "govukdeploy-bench-empty", "Empty.psd1");
        Directory.CreateDirectory(Path.GetDirectoryName(emptyModule)!);
        File.WriteAllText(emptyModule, "@{ ModuleVersion = '1.0'; FunctionsToExport = @(); CmdletsToExport = @() }");

        var empty = new List<Sample>(Rounds);
        var ours = new List<Sample>(Rounds);
        // One of each first, unmeasured: the disk cache warms alike for both.
        TimeImport(pwsh, emptyModule);
        TimeImport(pwsh, module);
        for (var round = 0; round < Rounds; round++)
        {
            if (round % 2 == 0)
            {
                empty.Add(TimeImport(pwsh, emptyModule));
                ours.Add(TimeImport(pwsh, module));
            }
            else
            {
                ours.Add(TimeImport(pwsh, module));
                empty.Add(TimeImport(pwsh, emptyModule));
            }
        }

        var emptyWall = Median(empty.Select(s => s.Wall));
        var ourWall = Median(ours.Select(s => s.Wall));
        var added = ourWall - emptyWall;
        report.Check(Name, $"Import-Module GovukDeploy in a fresh pwsh (median of {Rounds}, interleaved)", ourWall, "ms",
            meetsTarget: added <= TargetAddedMilliseconds,
            $"at most {TargetAddedMilliseconds:0} ms over an empty module",
            $"empty module {emptyWall:0} ms; added {added:0} ms; ratio {ourWall / emptyWall:0.00}; " +
            $"CPU {Median(ours.Select(s => s.Cpu)):0} ms against {Median(empty.Select(s => s.Cpu)):0} ms");
    }

    private readonly record struct Sample(double Wall, double Cpu);

    /// <summary>The milliseconds Import-Module took in a fresh pwsh, by the clock and in CPU time.</summary>
    private static Sample TimeImport(IReadOnlyList<string> pwsh, string manifest)
    {
        var script =
            "$process = [Diagnostics.Process]::GetCurrentProcess(); $cpu = $process.TotalProcessorTime; " +
            "$clock = [Diagnostics.Stopwatch]::StartNew(); " +
            $"Import-Module '{manifest.Replace("'", "''")}' -ErrorAction Stop; " +
            "$wall = $clock.Elapsed.TotalMilliseconds; $process.Refresh(); " +
            "[Console]::Out.WriteLine([string]::Format([cultureinfo]::InvariantCulture, '{0} {1}', $wall, ($process.TotalProcessorTime - $cpu).TotalMilliseconds)); exit 0";
        var start = new ProcessStartInfo(pwsh[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in pwsh.Skip(1).Concat(["-NoProfile", "-NonInteractive", "-Command", script]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd().Trim().Split(' ');
        process.WaitForExit();
        if (process.ExitCode != 0 || output.Length != 2)
        {
            throw new InvalidOperationException($"Importing {manifest} failed ({process.ExitCode}): {error.Result}");
        }

        return new Sample(double.Parse(output[0], CultureInfo.InvariantCulture), double.Parse(output[1], CultureInfo.InvariantCulture));
    }

    private static double Median(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>The pwsh build.ps1 runs under (a JSON array: program and leading arguments), else pwsh on the PATH.</summary>
    private static IReadOnlyList<string> PwshCommand() =>
        Environment.GetEnvironmentVariable("GOVUK_DEPLOY_BENCH_PWSH") is { Length: > 0 } json
            ? JsonSerializer.Deserialize<string[]>(json)!
            : ["pwsh"];

    /// <summary>The newest module under the repository's out/ folder, for a run without build.ps1.</summary>
    private static string? FindBuiltModule()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var built = Path.Combine(directory.FullName, "out", "GovukDeploy");
            if (Directory.Exists(built))
            {
                return Directory.GetFiles(built, "GovukDeploy.psd1", SearchOption.AllDirectories)
                    .OrderByDescending(File.GetLastWriteTimeUtc)
                    .FirstOrDefault();
            }
        }

        return null;
    }
}
