using System.Runtime.CompilerServices;
using System.Threading.Channels;
using GovukDeploy.Errors;

namespace GovukDeploy.GitHub;

/// <summary>One application's outcome in a many-application query: a value, or the error that stopped it.</summary>
public sealed record GitHubBatchResult<T>(Application Application, T? Value, GovukDeployException? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>Runs the same query for many applications, a bounded number at a time, handing back each result as it finishes.</summary>
public static class GitHubBatch
{
    public static async IAsyncEnumerable<GitHubBatchResult<T>> RunAsync<T>(
        IEnumerable<Application> applications,
        int throttleLimit,
        Func<Application, CancellationToken, Task<T>> query,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var apps = applications.ToList();
        var results = Channel.CreateUnbounded<GitHubBatchResult<T>>(new UnboundedChannelOptions { SingleReader = true });
        using var gate = new SemaphoreSlim(Math.Max(1, throttleLimit));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        async Task RunOne(Application app)
        {
            await gate.WaitAsync(stop.Token);
            try
            {
                var value = await query(app, stop.Token);
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
            }
        }

        var all = Task.WhenAll(apps.Select(RunOne));
        _ = all.ContinueWith(t => results.Writer.TryComplete(t.Exception?.GetBaseException()), TaskScheduler.Default);

        try
        {
            await foreach (var result in results.Reader.ReadAllAsync(cancellationToken))
            {
                yield return result;
            }
        }
        finally
        {
            // A consumer that stops early (or Ctrl+C) stops the queries still running.
            stop.Cancel();
            try
            {
                await all;
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
            }
        }
    }
}
