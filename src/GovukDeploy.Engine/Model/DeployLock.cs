namespace GovukDeploy;

/// <summary>A lease on deploying one application to one environment; it lapses at ExpiresAt unless renewed.</summary>
public sealed class DeployLock
{
    public required string Application { get; init; }
    public required string Environment { get; init; }
    public required string Owner { get; init; }
    public DateTimeOffset AcquiredAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    public bool IsExpiredAt(DateTimeOffset at) => ExpiresAt <= at;
}
