using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace GovukDeploy;

/// <summary>Where a bank holiday's date came from.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum BankHolidaySource
{
    /// <summary>A copy of GOV.UK's feed fetched with Update-BankHoliday.</summary>
    Feed,

    /// <summary>The calendar built into the module.</summary>
    Embedded,

    /// <summary>Worked out from the usual rules for a year nobody has published yet.</summary>
    Computed,
}

/// <summary>One bank holiday in one division of the UK.</summary>
public sealed class BankHoliday
{
    public required DateOnly Date { get; init; }
    public required string Title { get; init; }

    /// <summary>england-and-wales, scotland or northern-ireland.</summary>
    public required string Division { get; init; }

    /// <summary>The feed's notes, e.g. "Substitute day"; empty when there are none.</summary>
    public string Notes { get; init; } = "";

    public BankHolidaySource Source { get; init; }

    /// <summary>True when the date was predicted rather than published: a one-off holiday could still be announced.</summary>
    public bool Computed => Source == BankHolidaySource.Computed;

    public override string ToString() => $"{Date:yyyy-MM-dd} {Title} ({Division})";
}
