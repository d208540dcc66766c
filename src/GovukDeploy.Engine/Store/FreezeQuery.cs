namespace GovukDeploy.Store;

/// <summary>Which freezes to read.</summary>
public sealed record FreezeQuery
{
    public static readonly FreezeQuery Current = new();

    /// <summary>Application names or wildcard patterns (* and ?), ignoring case; null or empty means every application.</summary>
    public IReadOnlyList<string>? Applications { get; init; }

    /// <summary>When filtering by application, also return global freezes, which apply to every application.</summary>
    public bool IncludeGlobal { get; init; } = true;
    public string? Environment { get; init; }

    /// <summary>Also return lifted, replaced and expired freezes (the history).</summary>
    public bool IncludeLifted { get; init; }

    /// <summary>The instant at which "current" is judged; null means the store's clock.</summary>
    public DateTimeOffset? At { get; init; }
}
