using GovukDeploy.Errors;

namespace GovukDeploy.Holidays;

/// <summary>The divisions GOV.UK publishes bank holidays for, named as its feed names them.</summary>
public static class HolidayDivision
{
    public const string EnglandAndWales = "england-and-wales";
    public const string Scotland = "scotland";
    public const string NorthernIreland = "northern-ireland";

    public static IReadOnlyList<string> All { get; } = [EnglandAndWales, Scotland, NorthernIreland];

    /// <summary>The canonical name of a division (case-insensitive), or an UnknownHolidayDivision error.</summary>
    public static string Parse(string? value)
    {
        var trimmed = value?.Trim();
        foreach (var division in All)
        {
            if (string.Equals(division, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return division;
            }
        }
        throw ErrorCatalogue.UnknownHolidayDivision(value, All);
    }
}
