using GovukDeploy.Store;

namespace GovukDeploy.Deploys.Gates;

/// <summary>The deploy lock this process holds for an application and environment; disposing releases it.</summary>
public sealed class DeployLockHandle : IAsyncDisposable
{
    private readonly IDeployStore _store;
    private int _released;

    internal DeployLockHandle(IDeployStore store, string application, string environment, string owner)
    {
        _store = store;
        Application = application;
        Environment = environment;
        Owner = owner;
    }

    public string Application { get; }
    public string Environment { get; }
    public string Owner { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            // Released even when the caller was cancelled: a lock must not outlive its deploy's watch.
            await _store.ReleaseLockAsync(Application, Environment, Owner, CancellationToken.None);
        }
    }
}
