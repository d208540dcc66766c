using System.Globalization;
using System.Text.Json;
using GovukDeploy.Errors;

namespace GovukDeploy.Holidays;

/// <summary>
/// A parsed copy of GOV.UK's bank-holidays.json feed:
/// <c>{"england-and-wales": {"division": ..., "events": [{"title", "date", "notes", "bunting"}]}, "scotland": ..., "northern-ireland": ...}</c>.
/// </summary>
public sealed class BankHolidayFeed
{
    private BankHolidayFeed(IReadOnlyDictionary<string, IReadOnlyList<BankHoliday>> byDivision)
    {
        ByDivision = byDivision;
    }

    /// <summary>The holidays of each division, in date order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<BankHoliday>> ByDivision { get; }

    public IEnumerable<BankHoliday> All => ByDivision.Values.SelectMany(h => h);

    /// <summary>Parses a feed, or throws HolidayFeedInvalid saying what is wrong with it. <paramref name="origin"/> names it in messages.</summary>
    public static BankHolidayFeed Parse(ReadOnlySpan<byte> utf8Json, string origin)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            using var document = JsonDocument.ParseValue(ref reader);
            return FromDocument(document.RootElement, origin);
        }
        catch (JsonException ex)
        {
            throw Invalid(origin, $"it is not valid JSON ({ex.Message})", ex);
        }
    }

    public static BankHolidayFeed Parse(string json, string origin) =>
        Parse(System.Text.Encoding.UTF8.GetBytes(json), origin);

    private static BankHolidayFeed FromDocument(JsonElement root, string origin)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(origin, $"its top level is a {root.ValueKind}, not an object keyed by division");
        }

        var result = new Dictionary<string, IReadOnlyList<BankHoliday>>(StringComparer.Ordinal);
        foreach (var division in HolidayDivision.All)
        {
            if (!root.TryGetProperty(division, out var section) || section.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(origin, $"it has no \"{division}\" section");
            }
            if (section.TryGetProperty("division", out var named)
                && (named.ValueKind != JsonValueKind.String || named.GetString() != division))
            {
                throw Invalid(origin, $"the \"{division}\" section names itself \"{named}\"");
            }
            if (!section.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(origin, $"the \"{division}\" section has no \"events\" array");
            }

            var holidays = new List<BankHoliday>(events.GetArrayLength());
            var index = 0;
            foreach (var item in events.EnumerateArray())
            {
                holidays.Add(ReadEvent(item, division, index++, origin));
            }
            if (holidays.Count == 0)
            {
                throw Invalid(origin, $"the \"{division}\" section lists no holidays");
            }
            holidays.Sort((a, b) => a.Date.CompareTo(b.Date));
            result[division] = holidays;
        }
        return new BankHolidayFeed(result);
    }

    private static BankHoliday ReadEvent(JsonElement item, string division, int index, string origin)
    {
        var where = $"event {index} of \"{division}\"";
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(origin, $"{where} is not an object");
        }
        var title = item.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (string.IsNullOrWhiteSpace(title))
        {
            throw Invalid(origin, $"{where} has no title");
        }
        var dateText = item.TryGetProperty("date", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw Invalid(origin, $"{where} ('{title}') has no date in the form YYYY-MM-DD (found '{dateText}')");
        }
        var notes = item.TryGetProperty("notes", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() ?? "" : "";
        return new BankHoliday
        {
            Date = date,
            Title = title.Trim(),
            Division = division,
            Notes = notes.Trim(),
            Source = BankHolidaySource.Feed,
        };
    }

    /// <summary>The key under which a HolidayFeedInvalid error keeps the bare problem, for callers that reword the message.</summary>
    internal const string ProblemKey = "Problem";

    internal static GovukDeployException Invalid(string origin, string problem, Exception? inner = null) => ErrorCatalogue.HolidayFeedInvalid(origin, problem,
        "Check that the address serves GOV.UK's bank-holidays.json; the calendar already in use is unchanged.", inner);
}
