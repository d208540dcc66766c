using System.Runtime.CompilerServices;
using System.Threading.Channels;
using GovukDeploy.Errors;
using GovukDeploy.Reporting;

namespace GovukDeploy.GitHub;

/// <summary>One application's outcome in a many-application query: a value, or the error that stopped it.</summary>
public sealed record GitHubBatchResult<T>(Application Application, T? Value, GovukDeployException? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>Runs the same query for many applications, a bounded number at a time, handing back each result as it finishes.</summary>
public static class GitHubBatch
{
    private static int _nextActivityId = 7500;

    /// <summary>
    /// Runs <paramref name="query"/> for each application, at most <paramref name="throttleLimit"/> at
    /// once, yielding results in the order they finish; with a reporter, a progress bar counts them.
    /// </summary>
    public static async IAsyncEnumerable<GitHubBatchResult<T>> RunAsync<T>(
        IEnumerable<Application> applications,
        int throttleLimit,
        Func<Application, CancellationToken, Task<T>> query,
        [EnumeratorCancellation] CancellationToken cancellationToken = default,
        IOperationReporter? reporter = null,
        string activity = "Asking GitHub")
    {
        var apps = applications.ToList();
        var activityId = Interlocked.Increment(ref _nextActivityId);
        var finished = 0;
        var results = Channel.CreateUnbounded<GitHubBatchResult<T>>(new UnboundedChannelOptions { SingleReader = true });
        using var gate = new SemaphoreSlim(Math.Max(1, throttleLimit));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        async Task RunOne(Application app)
        {
            await gate.WaitAsync(stop.Token).ConfigureAwait(false);
            try
            {
                var value = await query(app, stop.Token).ConfigureAwait(false);
                results.Writer.TryWrite(new GitHubBatchResult<T>(app, value, null));
            }
            catch (GovukDeployException e)
            {
                // One application's failure is that application's; the others carry on.
                results.Writer.TryWrite(new GitHubBatchResult<T>(app, default, e));
            }
            finally
            {
                gate.Release();
                var done = Interlocked.Increment(ref finished);
                reporter?.Progress(new ProgressUpdate(activityId, activity, $"{done} of {apps.Count} applications", 100 * done / Math.Max(1, apps.Count)));
            }
        }

        var all = Task.WhenAll(apps.Select(RunOne));
        _ = all.ContinueWith(t => results.Writer.TryComplete(t.Exception?.GetBaseException()), TaskScheduler.Default);

        try
        {
            await foreach (var result in results.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
        finally
        {
            // A consumer that stops early (or Ctrl+C) stops the queries still running.
            stop.Cancel();
            reporter?.Progress(new ProgressUpdate(activityId, activity, "Done", 100, Completed: true));
            try
            {
                await all.ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
            }
        }
    }
}
