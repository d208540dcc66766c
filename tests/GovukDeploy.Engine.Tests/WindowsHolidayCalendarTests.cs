using System.Text.Json;
using GovukDeploy.Errors;
using GovukDeploy.Holidays;
using NodaTime;

namespace GovukDeploy.Tests;

public class WindowsHolidayCalendarTests
{
    private static readonly BankHolidayCalendar BuiltIn = new();

    [ReferenceDataFact]
    public void BuiltInCalendarMatchesThePublishedFeedForEveryDivisionAndYearItCovers()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(ReferenceData.BankHolidaysFile));
        var builtIn = EmbeddedBankHolidays.All;
        foreach (var division in HolidayDivision.All)
        {
            var published = document.RootElement.GetProperty(division).GetProperty("events").EnumerateArray()
                .Select(e => (Date: DateOnly.Parse(e.GetProperty("date").GetString()!), Title: e.GetProperty("title").GetString()!, Notes: e.GetProperty("notes").GetString()!))
                .ToList();
            var ours = builtIn.Where(h => h.Division == division).ToList();
            var years = ours.Select(h => h.Date.Year).Distinct().ToList();
            Assert.NotEmpty(years);

            foreach (var year in years)
            {
                var expected = published.Where(p => p.Date.Year == year).OrderBy(p => p.Date).ToList();
                var actual = BuiltIn.HolidaysIn(year, division).Select(h => (h.Date, h.Title, h.Notes)).ToList();
                Assert.True(expected.SequenceEqual(actual),
                    $"{division} {year}: the feed has [{Show(expected)}] but the built-in calendar has [{Show(actual)}]");
            }
        }
    }

    private static string Show(IEnumerable<(DateOnly Date, string Title, string Notes)> holidays) =>
        string.Join("; ", holidays.Select(h => $"{h.Date:yyyy-MM-dd} {h.Title}{(h.Notes.Length > 0 ? $" ({h.Notes})" : "")}"));

    [ReferenceDataFact]
    public void ParsingTheReferenceFeedGivesEveryDivision()
    {
        var feed = BankHolidayFeed.Parse(File.ReadAllBytes(ReferenceData.BankHolidaysFile), "reference");
        Assert.Equal(HolidayDivision.All.OrderBy(d => d), feed.ByDivision.Keys.OrderBy(d => d));
        Assert.All(feed.All, h => Assert.Equal(BankHolidaySource.Feed, h.Source));
    }

    [Theory]
    [InlineData("2020-05-08", "england-and-wales", "Early May bank holiday (VE day)")]
    [InlineData("2022-06-02", "england-and-wales", "Spring bank holiday")]
    [InlineData("2022-06-03", "scotland", "Platinum Jubilee bank holiday")]
    [InlineData("2022-09-19", "northern-ireland", "Bank Holiday for the State Funeral of Queen Elizabeth II")]
    [InlineData("2023-05-08", "england-and-wales", "Bank holiday for the coronation of King Charles III")]
    [InlineData("2020-12-28", "england-and-wales", "Boxing Day")]
    [InlineData("2021-12-27", "england-and-wales", "Christmas Day")]
    [InlineData("2021-12-28", "england-and-wales", "Boxing Day")]
    [InlineData("2022-01-03", "england-and-wales", "New Year’s Day")]
    [InlineData("2022-01-04", "scotland", "2nd January")]
    [InlineData("2025-12-01", "scotland", "St Andrew’s Day")]
    [InlineData("2026-07-13", "northern-ireland", "Battle of the Boyne (Orangemen’s Day)")]
    public void KnowsOneOffAndSubstituteHolidays(string date, string division, string title)
    {
        var holiday = BuiltIn.Find(DateOnly.Parse(date), division);
        Assert.NotNull(holiday);
        Assert.Equal(title, holiday.Title);
        Assert.Equal(BankHolidaySource.Embedded, holiday.Source);
        Assert.False(holiday.Computed);
    }

    [Theory]
    [InlineData("2022-05-30", "england-and-wales")] // the spring holiday moved to 2 June that year
    [InlineData("2020-05-04", "england-and-wales")] // the early May holiday moved to VE day
    [InlineData("2021-12-25", "england-and-wales")] // a Saturday: the holiday is the Monday after
    [InlineData("2024-01-02", "england-and-wales")] // 2 January is Scotland's alone
    [InlineData("2025-04-21", "scotland")] // no Easter Monday in Scotland
    public void DoesNotInventHolidays(string date, string division)
    {
        Assert.Null(BuiltIn.Find(DateOnly.Parse(date), division));
    }

    [Fact]
    public void YearsPastTheCalendarAreComputedAndLookSane()
    {
        var holidays = BuiltIn.HolidaysIn(2031, HolidayDivision.EnglandAndWales);
        Assert.Equal(8, holidays.Count);
        Assert.All(holidays, h =>
        {
            Assert.True(h.Computed);
            Assert.Equal(BankHolidaySource.Computed, h.Source);
            Assert.Equal(2031, h.Date.Year);
            Assert.NotEqual(DayOfWeek.Saturday, h.Date.DayOfWeek);
            Assert.NotEqual(DayOfWeek.Sunday, h.Date.DayOfWeek);
        });
        // Easter 2031 is 13 April; Christmas falls on a Thursday.
        var dates = holidays.Select(h => h.Date).ToHashSet();
        Assert.Contains(new DateOnly(2031, 4, 11), dates);
        Assert.Contains(new DateOnly(2031, 4, 14), dates);
        Assert.Contains(new DateOnly(2031, 12, 25), dates);
        Assert.Contains(new DateOnly(2031, 12, 26), dates);
        Assert.Contains(new DateOnly(2031, 5, 5), dates);
        Assert.Contains(new DateOnly(2031, 8, 25), dates);

        var scotland = BuiltIn.HolidaysIn(2031, HolidayDivision.Scotland).Select(h => h.Date).ToHashSet();
        Assert.Contains(new DateOnly(2031, 1, 2), scotland);
        Assert.Contains(new DateOnly(2031, 8, 4), scotland);
        Assert.DoesNotContain(new DateOnly(2031, 4, 14), scotland);

        var ireland = BuiltIn.HolidaysIn(2031, HolidayDivision.NorthernIreland).Select(h => h.Date).ToHashSet();
        Assert.Contains(new DateOnly(2031, 3, 17), ireland);
        Assert.Contains(new DateOnly(2031, 7, 14), ireland); // 12 July 2031 is a Saturday
    }

    [Fact]
    public void TheFeedWinsForTheYearsItCovers()
    {
        // A feed that moves 2026's early May holiday and adds a one-off day, and says nothing of 2027.
        var feed = BankHolidayFeed.Parse(FeedJson(
            ("2026-01-01", "New Year’s Day", ""),
            ("2026-05-11", "Early May bank holiday (moved)", ""),
            ("2026-10-12", "A one-off holiday", "")), "test");
        var calendar = new BankHolidayCalendar(feed);

        var moved = calendar.Find(new LocalDate(2026, 5, 11), HolidayDivision.EnglandAndWales);
        Assert.NotNull(moved);
        Assert.Equal(BankHolidaySource.Feed, moved.Source);
        Assert.Equal("Early May bank holiday (moved)", moved.Title);
        Assert.NotNull(calendar.Find(new LocalDate(2026, 10, 12), HolidayDivision.EnglandAndWales));
        // The built-in 4 May 2026 is overridden, because the feed covers 2026.
        Assert.NotNull(BuiltIn.Find(new LocalDate(2026, 5, 4), HolidayDivision.EnglandAndWales));
        Assert.Null(calendar.Find(new LocalDate(2026, 5, 4), HolidayDivision.EnglandAndWales));
        // 2027 is not in the feed: the built-in calendar still answers.
        Assert.Equal(BankHolidaySource.Embedded, calendar.Find(new LocalDate(2027, 12, 27), HolidayDivision.EnglandAndWales)?.Source);
    }

    [Fact]
    public void AnUnknownDivisionIsAnError()
    {
        var error = Assert.Throws<GovukDeployException>(() => BuiltIn.Find(new LocalDate(2026, 1, 1), "wales"));
        Assert.Equal("UnknownHolidayDivision", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("wales", error.Target);
    }

    [Fact]
    public void DivisionNamesAreCaseInsensitive()
    {
        Assert.Equal("Christmas Day", BuiltIn.Find(new LocalDate(2026, 12, 25), "Scotland")?.Title);
    }

    /// <summary>A small feed with the same events in every division.</summary>
    internal static string FeedJson(params (string Date, string Title, string Notes)[] events)
    {
        var sections = HolidayDivision.All.ToDictionary(
            d => d,
            d => new { division = d, events = events.Select(e => new { title = e.Title, date = e.Date, notes = e.Notes, bunting = true }).ToArray() });
        return JsonSerializer.Serialize(sections);
    }
}
