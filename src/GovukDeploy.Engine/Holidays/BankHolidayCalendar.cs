using System.Collections.Concurrent;
using NodaTime;

namespace GovukDeploy.Holidays;

/// <summary>
/// Answers "is this date a bank holiday, and which?" for each division. For a given year the
/// cached GOV.UK feed wins where it has that year; otherwise the calendar built into the module;
/// otherwise (years neither covers) the holiday library's rules, marked Computed.
/// </summary>
public sealed class BankHolidayCalendar
{
    private readonly ILookup<(string Division, int Year), BankHoliday> _feed;
    private readonly ILookup<(string Division, int Year), BankHoliday> _embedded;

    // Resolved years, built on first use: the evaluator asks about the same few years again and again.
    private readonly ConcurrentDictionary<(string Division, int Year), YearTable> _years = new();

    /// <summary>The built-in calendar, overridden by <paramref name="feed"/> for the years the feed covers.</summary>
    public BankHolidayCalendar(BankHolidayFeed? feed = null)
        : this(EmbeddedBankHolidays.All, feed)
    {
    }

    internal BankHolidayCalendar(IEnumerable<BankHoliday> embedded, BankHolidayFeed? feed)
    {
        Feed = feed;
        _embedded = embedded.ToLookup(h => (h.Division, h.Date.Year));
        _feed = (feed?.All ?? []).ToLookup(h => (h.Division, h.Date.Year));
    }

    /// <summary>The fetched feed in use, if any.</summary>
    public BankHolidayFeed? Feed { get; }

    /// <summary>The built-in calendar plus the cached feed when one has been fetched (see <see cref="BankHolidayCache"/>).</summary>
    public static BankHolidayCalendar Load(BankHolidayCache cache) => new(cache.TryLoad());

    public BankHoliday? Find(LocalDate date, string division) =>
        Year(HolidayDivision.Parse(division), date.Year).Find(date);

    public BankHoliday? Find(DateOnly date, string division) =>
        Find(LocalDate.FromDateOnly(date), division);

    /// <summary>Every holiday of a year in a division, in date order.</summary>
    public IReadOnlyList<BankHoliday> HolidaysIn(int year, string division) =>
        Year(HolidayDivision.Parse(division), year).Holidays;

    /// <summary>Fast path for the evaluator: the division is already canonical.</summary>
    internal BankHoliday? FindCanonical(LocalDate date, string division) => Year(division, date.Year).Find(date);

    private YearTable Year(string division, int year) =>
        _years.GetOrAdd((division, year), key => new YearTable(Resolve(key.Division, key.Year)));

    private IReadOnlyList<BankHoliday> Resolve(string division, int year)
    {
        var key = (division, year);
        if (_feed.Contains(key))
        {
            return _feed[key].OrderBy(h => h.Date).ToList();
        }
        if (_embedded.Contains(key))
        {
            return _embedded[key].OrderBy(h => h.Date).ToList();
        }
        return ComputedBankHolidays.For(year, division);
    }

    private sealed class YearTable
    {
        private readonly Dictionary<LocalDate, BankHoliday> _byDate = [];

        public YearTable(IReadOnlyList<BankHoliday> holidays)
        {
            Holidays = holidays;
            foreach (var holiday in holidays)
            {
                // A feed could list two holidays on one day: the first listed names it.
                _byDate.TryAdd(LocalDate.FromDateOnly(holiday.Date), holiday);
            }
        }

        public IReadOnlyList<BankHoliday> Holidays { get; }

        public BankHoliday? Find(LocalDate date) => _byDate.GetValueOrDefault(date);
    }
}
