using System.Globalization;

namespace GovukDeploy;

/// <summary>
/// A lease on deploying one application to one environment. It lapses at ExpiresAt unless renewed;
/// a holder that promised to renew every RenewalInterval and has not done so for twice that long is
/// taken to be dead (a crashed or killed process), and its lock may be taken over before it lapses.
/// </summary>
public sealed class DeployLock
{
    public required string Application { get; init; }
    public required string Environment { get; init; }
    public required string Owner { get; init; }
    public DateTimeOffset AcquiredAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When the holder last took or renewed the lock; null for a lock from before renewals were recorded.</summary>
    public DateTimeOffset? RenewedAt { get; init; }

    /// <summary>How often the holder said it would renew; null when it made no such promise (then only expiry frees the lock).</summary>
    public TimeSpan? RenewalInterval { get; init; }

    /// <summary>Missed renewals that are forgiven: a holder silent for longer than this many intervals is taken to be dead.</summary>
    public const int MissedRenewalsAllowed = 2;

    public bool IsExpiredAt(DateTimeOffset at) => ExpiresAt <= at;

    /// <summary>From when the lock counts as abandoned (strictly after this instant); null when it never does before it expires.</summary>
    public DateTimeOffset? AbandonedAfter => RenewedAt is { } renewed && RenewalInterval is { } interval
        ? renewed + MissedRenewalsAllowed * interval
        : null;

    /// <summary>The holder has stopped renewing for more than twice its renewal interval (exactly twice is still alive).</summary>
    public bool IsAbandonedAt(DateTimeOffset at) => AbandonedAfter is { } after && at > after;

    /// <summary>Whether another owner may take this lock over at that instant.</summary>
    public bool CanBeTakenOverAt(DateTimeOffset at) => IsExpiredAt(at) || IsAbandonedAt(at);

    /// <summary>"alice@host:123 (last renewed 2026-11-26 10:00:00 UTC)": whose lock it was, for warnings and the audit log.</summary>
    public string DescribeHolder() =>
        RenewedAt is { } renewed
            ? $"{Owner} (last renewed {Utc(renewed)})"
            : $"{Owner} (its lease ran until {Utc(ExpiresAt)})";

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
