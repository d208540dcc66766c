using GovukDeploy.Holidays;
using GovukDeploy.DeployWindows;
using NodaTime;
using NodaTime.Testing;

namespace GovukDeploy.Bench;

/// <summary>
/// Test-DeployWindow's logic in-process: evaluations per second over instants spread across two
/// years (weekends, holidays, both clock changes), against the cost of the one thing every
/// evaluation must do, converting an instant to London local time, measured in the same run.
/// </summary>
public sealed class WindowBench : IBenchmarkSuite
{
    private const int Evaluations = 100_000;
    private const double TargetPerSecond = 100_000;

    public string Name => "Windows";

    public void Run(BenchReport report)
    {
        var service = new DeployWindowService(
            new FakeClock(Instant.FromUtc(2026, 1, 1, 0, 0)),
            DeployWindowPolicy.Build(),
            new BankHolidayCalendar());
        var zone = DateTimeZoneProviders.Tzdb["Europe/London"];

        // Every 7h13m from 2025 into 2027: lands on every hour of the day and every weekday.
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var instants = Enumerable.Range(0, 2_500).Select(i => start.AddMinutes(i * 433)).ToArray();
        var nodaInstants = instants.Select(Instant.FromDateTimeOffset).ToArray();
        var freezes = new List<DeployFreeze>
        {
            new() { Application = "publisher", Environment = "staging", Reason = "bench", Contact = "#bench", SetBy = "bench", Until = start.AddYears(5) },
        };
        var duration = TimeSpan.FromMinutes(20);

        var sink = 0L;
        var evaluate = BenchReport.Median(5, () =>
        {
            for (var i = 0; i < Evaluations; i++)
            {
                var verdict = service.Test(instants[i % instants.Length], "production", duration, freezes);
                sink += verdict.Allowed ? 1 : 0;
            }
        });
        var convert = BenchReport.Median(5, () =>
        {
            for (var i = 0; i < Evaluations; i++)
            {
                sink += nodaInstants[i % nodaInstants.Length].InZone(zone).LocalDateTime.Hour;
            }
        });
        GC.KeepAlive(sink);

        var perSecond = Evaluations / evaluate.TotalSeconds;
        var conversionsPerSecond = Evaluations / convert.TotalSeconds;
        report.Check(
            Name,
            "Test evaluations per second (production, 20-minute deploy, one freeze)",
            perSecond,
            "/s",
            perSecond >= TargetPerSecond,
            $">= {TargetPerSecond:N0}/s",
            $"baseline: a bare Europe/London conversion, {conversionsPerSecond:N0}/s; one evaluation costs {conversionsPerSecond / perSecond:0.#} conversions");
    }
}
