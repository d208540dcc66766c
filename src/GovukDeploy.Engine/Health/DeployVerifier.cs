using System.Diagnostics;
using GovukDeploy.Reporting;

namespace GovukDeploy.Health;

/// <summary>
/// Stays around after a deploy, as GOV.UK's manual asks: checks health every interval for a while, with a
/// progress bar, and stops at the first Unhealthy verdict. Between checks it only waits.
/// </summary>
public static class DeployVerifier
{
    private static int _nextActivityId = 7500;

    /// <summary>The last health seen: the first Unhealthy one, or the one at the end of <paramref name="verifyFor"/>.</summary>
    public static async Task<DeployHealth> VerifyAsync(DeployHealthService health, HealthTarget target, TimeSpan verifyFor, TimeSpan interval,
        IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var activityId = Interlocked.Increment(ref _nextActivityId);
        var activity = $"Verifying {target.Application.Name} in {target.Environment}";
        var watch = Stopwatch.StartNew();
        var checks = 0;
        try
        {
            while (true)
            {
                checks++;
                var result = await health.CheckAsync(target, cancellationToken).ConfigureAwait(false);
                reporter.Verbose($"Health check {checks} of {target.Application.Name} in {target.Environment}: {result.Summary}");
                var remaining = verifyFor - watch.Elapsed;
                if (result.Verdict == HealthVerdict.Unhealthy || remaining <= TimeSpan.Zero)
                {
                    return result;
                }

                // Wait for the next check in short steps, so that the bar moves; nothing else runs meanwhile.
                var next = watch.Elapsed + (interval < remaining ? interval : remaining);
                while (watch.Elapsed < next)
                {
                    var wait = next - watch.Elapsed;
                    if (wait <= TimeSpan.Zero)
                    {
                        break;
                    }

                    var percent = (int)Math.Clamp(watch.Elapsed / verifyFor * 100, 0, 99);
                    reporter.Progress(new ProgressUpdate(activityId, activity,
                        $"{result.Verdict} after {checks} check{(checks == 1 ? "" : "s")}; next in {Math.Ceiling(wait.TotalSeconds):0} s", percent));
                    await Task.Delay(wait < TimeSpan.FromSeconds(5) ? wait : TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            reporter.Progress(new ProgressUpdate(activityId, activity, "Done", 100, Completed: true));
        }
    }
}
