namespace GovukDeploy.Store;

/// <summary>Which audit events to read; results come oldest first.</summary>
public sealed record AuditQuery
{
    public static readonly AuditQuery All = new();

    /// <summary>Application names or wildcard patterns (* and ?), ignoring case; null or empty means every application.</summary>
    public IReadOnlyList<string>? Applications { get; init; }
    public DateTimeOffset? Since { get; init; }

    /// <summary>Event kinds (see AuditKinds); null or empty means every kind.</summary>
    public IReadOnlyList<string>? Kinds { get; init; }

    /// <summary>Only the newest this many; null means no limit.</summary>
    public int? Last { get; init; }
}
