using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace GovukDeploy;

/// <summary>Where a freeze was read from.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum FreezeSource
{
    Store,
    ReleaseApp,
}

/// <summary>
/// A deploy freeze: an application (or every application, "*") that must not be
/// deployed to an environment, why, who to ask, and until when.
/// </summary>
public sealed class DeployFreeze
{
    public const string Global = "*";

    public long Id { get; init; }
    public required string Application { get; init; }
    public required string Environment { get; init; }
    public required string Reason { get; init; }
    public required string Contact { get; init; }
    public DateTimeOffset? Until { get; init; }
    public required string SetBy { get; init; }
    public DateTimeOffset SetAt { get; init; }
    public string? LiftedBy { get; init; }
    public DateTimeOffset? LiftedAt { get; init; }
    public FreezeSource Source { get; init; } = FreezeSource.Store;

    /// <summary>
    /// True when this is not a freeze but a gap: the Release app could not say whether the application
    /// is frozen (Reason says why). Treat it as frozen until the Release app answers.
    /// </summary>
    public bool Unknown { get; init; }

    public bool IsGlobal => Application == Global;

    /// <summary>Lifted by a person, Expired (its Until passed without anyone lifting it), or Active: as of the moment it is read.</summary>
    public string State => LiftedAt is not null ? "Lifted" : IsOverdue ? "Expired" : "Active";

    /// <summary>Past its Until but never lifted: someone should lift it or say why it stays.</summary>
    public bool IsOverdue => LiftedAt is null && Until is { } until && until <= DateTimeOffset.UtcNow;

    /// <summary>In force at the given instant: not lifted, and not past its Until.</summary>
    public bool IsActiveAt(DateTimeOffset at) => LiftedAt is null && (Until is null || Until > at);
}
