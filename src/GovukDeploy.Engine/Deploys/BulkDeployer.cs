using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace GovukDeploy.Deploys;

/// <summary>The outcome of one item of a bulk run: its result, or the error it failed with.</summary>
public sealed record BulkResult<TItem, TResult>(TItem Item, TResult? Result, Exception? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Runs up to ThrottleLimit operations at once and yields each outcome as soon as it finishes;
/// one failure does not stop the others.
/// </summary>
public static class BulkDeployer
{
    public static async IAsyncEnumerable<BulkResult<TItem, TResult>> RunAsync<TItem, TResult>(
        IEnumerable<TItem> items, int throttleLimit, Func<TItem, CancellationToken, Task<TResult>> operation,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(throttleLimit, 1);
        var results = Channel.CreateUnbounded<BulkResult<TItem, TResult>>(new UnboundedChannelOptions { SingleReader = true });
        using var slots = new SemaphoreSlim(throttleLimit, throttleLimit);
        var running = new List<Task>();
        foreach (var item in items)
        {
            running.Add(RunOneAsync(item));
        }

        var all = Task.WhenAll(running).ContinueWith(_ => results.Writer.TryComplete(), TaskScheduler.Default);
        await foreach (var result in results.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            yield return result;
        }

        await all.ConfigureAwait(false);

        async Task RunOneAsync(TItem item)
        {
            BulkResult<TItem, TResult> outcome;
            try
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException e)
            {
                results.Writer.TryWrite(new BulkResult<TItem, TResult>(item, default, e));
                return;
            }

            try
            {
                outcome = new BulkResult<TItem, TResult>(item, await operation(item, cancellationToken).ConfigureAwait(false), null);
            }
            catch (Exception e)
            {
                outcome = new BulkResult<TItem, TResult>(item, default, e);
            }
            finally
            {
                slots.Release();
            }

            results.Writer.TryWrite(outcome);
        }
    }
}
