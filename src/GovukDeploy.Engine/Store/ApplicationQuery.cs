namespace GovukDeploy.Store;

/// <summary>Which applications to read. Names may hold the wildcards * and ?; matching ignores case.</summary>
public sealed record ApplicationQuery
{
    public static readonly ApplicationQuery All = new();

    /// <summary>Names or wildcard patterns; null or empty means every application.</summary>
    public IReadOnlyList<string>? Names { get; init; }
    public string? Team { get; init; }
    public bool IncludeRetired { get; init; }
}
