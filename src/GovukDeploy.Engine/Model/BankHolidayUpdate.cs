namespace GovukDeploy;

/// <summary>What Update-BankHoliday fetched and where it keeps it.</summary>
public sealed class BankHolidayUpdate
{
    public required string Uri { get; init; }
    public required string CachePath { get; init; }
    public DateTimeOffset FetchedAt { get; init; }
    public int FirstYear { get; init; }
    public int LastYear { get; init; }

    /// <summary>Holidays per division, e.g. england-and-wales = 75.</summary>
    public required IReadOnlyDictionary<string, int> Holidays { get; init; }
}
