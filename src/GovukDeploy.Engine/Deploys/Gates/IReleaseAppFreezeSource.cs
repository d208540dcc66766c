namespace GovukDeploy.Deploys.Gates;

/// <summary>A second source of freezes beside the store: the Release app's deploy_freeze flag.</summary>
public interface IReleaseAppFreezeSource
{
    /// <summary>Never throws for an unreachable or confused Release app: it answers Unknown instead.</summary>
    Task<ReleaseAppFreezeAnswer> GetFreezeAsync(Application application, CancellationToken cancellationToken);
}
