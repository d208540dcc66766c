namespace GovukDeploy.Observed;

/// <summary>
/// How much the store knows of what one environment runs: Known when its Jenkins history was read
/// recently enough (now, or within DeploymentSyncMaxAge); otherwise Unknown, with the reason.
/// </summary>
public sealed record EnvironmentObservation
{
    public required string Environment { get; init; }
    public required bool Known { get; init; }

    /// <summary>When the Jenkins history was last read in full; null when it never was.</summary>
    public DateTimeOffset? SyncedAt { get; init; }

    /// <summary>Why it is unknown (which source failed, and how), or a note such as "store only".</summary>
    public string? Problem { get; init; }

    public string Describe(DateTimeOffset now) =>
        SyncedAt is { } at
            ? $"{Environment}: read {Age(now - at)} ago{(Problem is null ? "" : "; " + Problem)}"
            : $"{Environment}: never read{(Problem is null ? "" : "; " + Problem)}";

    public static string Age(TimeSpan age) =>
        age < TimeSpan.FromMinutes(2) ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
        : age < TimeSpan.FromHours(2) ? $"{(int)age.TotalMinutes}m"
        : age < TimeSpan.FromDays(2) ? $"{(int)age.TotalHours}h"
        : $"{(int)age.TotalDays}d";
}

/// <summary>What one sync found and wrote, per environment.</summary>
public sealed record SyncReport
{
    public required IReadOnlyList<EnvironmentObservation> Environments { get; init; }
    /// <summary>Builds not seen by the previous sync (every build read, the first time).</summary>
    public int BuildsRead { get; init; }
    public int Added { get; init; }
    public int Updated { get; init; }

    /// <summary>Builds skipped: no TARGET_APPLICATION or TAG, or an application the catalogue does not have.</summary>
    public int Skipped { get; init; }

    /// <summary>True when nothing was read: the store's view was young enough.</summary>
    public bool FromStore { get; init; }

    public EnvironmentObservation For(string environment) =>
        Environments.FirstOrDefault(e => e.Environment.Equals(environment, StringComparison.OrdinalIgnoreCase))
        ?? new EnvironmentObservation { Environment = environment, Known = false, Problem = "not a synced environment" };

    public bool AllKnown => Environments.All(e => e.Known);
}
