using System.Globalization;
using System.Text.RegularExpressions;

namespace GovukDeploy.Holidays;

/// <summary>Reads the calendar built into the module (Holidays/bank-holidays.txt, an embedded resource).</summary>
internal static partial class EmbeddedBankHolidays
{
    private const string ResourceName = "GovukDeploy.Holidays.bank-holidays.txt";
    private const string SubstituteMarker = "(substitute)";
    private const string SubstituteNote = "Substitute day";

    private static readonly Lazy<IReadOnlyList<BankHoliday>> Table = new(() => Parse(ReadResource()));

    public static IReadOnlyList<BankHoliday> All => Table.Value;

    private static string ReadResource()
    {
        using var stream = typeof(EmbeddedBankHolidays).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The engine was built without its bank-holiday table ({ResourceName}).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    internal static IReadOnlyList<BankHoliday> Parse(string text)
    {
        var holidays = new List<BankHoliday>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var fields = FieldSeparator().Split(line);
            if (fields.Length is < 3 or > 4
                || !DateOnly.TryParseExact(fields[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || (fields.Length == 4 && fields[3] != SubstituteMarker))
            {
                throw new FormatException($"Line {lineNumber} of the built-in bank-holiday table is malformed: '{line}'.");
            }
            var notes = fields.Length == 4 ? SubstituteNote : "";
            foreach (var code in fields[1])
            {
                holidays.Add(new BankHoliday
                {
                    Date = date,
                    Title = fields[2],
                    Division = code switch
                    {
                        'e' => HolidayDivision.EnglandAndWales,
                        's' => HolidayDivision.Scotland,
                        'n' => HolidayDivision.NorthernIreland,
                        _ => throw new FormatException($"Line {lineNumber} of the built-in bank-holiday table names an unknown division '{code}'."),
                    },
                    Notes = notes,
                    Source = BankHolidaySource.Embedded,
                });
            }
        }
        return holidays;
    }

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex FieldSeparator();
}
