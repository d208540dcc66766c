using PublicHoliday;

namespace GovukDeploy.Holidays;

/// <summary>
/// Bank holidays for years nobody has published yet, from the PublicHoliday library's
/// rules (weekend substitutes included). One-off holidays cannot be predicted, so every
/// entry is marked Computed.
/// </summary>
internal static class ComputedBankHolidays
{
    public static IReadOnlyList<BankHoliday> For(int year, string division)
    {
        var calculator = new UKBankHoliday(division switch
        {
            HolidayDivision.Scotland => UKBankHoliday.UkCountries.Scotland,
            HolidayDivision.NorthernIreland => UKBankHoliday.UkCountries.NorthernIreland,
            _ => UKBankHoliday.UkCountries.England,
        });
        return calculator.PublicHolidayNames(year)
            .Select(pair => new BankHoliday
            {
                Date = DateOnly.FromDateTime(pair.Key),
                Title = pair.Value,
                Division = division,
                Source = BankHolidaySource.Computed,
            })
            .OrderBy(h => h.Date)
            .ToList();
    }
}
