using System.Globalization;
using System.Text;
using GovukDeploy.Holidays;
using NodaTime;

namespace GovukDeploy.DeployWindows;

/// <summary>
/// Works out deploy windows for one policy. All arithmetic is on the policy zone's local
/// calendar: an instant is converted to a local date and time, and each day's opening and
/// closing times are converted back to instants with that day's own offset, so a window on
/// the day the clocks change is still 09:30–17:00 on the wall clock.
/// </summary>
internal sealed class DeployWindowEvaluator
{
    // How far ahead to look for the next window; a valid policy opens at least once a week,
    // so this only runs out when a deploy is longer than every window.
    private const int SearchDays = 400;

    private readonly DeployWindowPolicy _policy;
    private readonly BankHolidayCalendar _calendar;

    public DeployWindowEvaluator(DeployWindowPolicy policy, BankHolidayCalendar calendar)
    {
        _policy = policy;
        _calendar = calendar;
    }

    /// <summary>What a day holds: a window, or why there is none.</summary>
    internal readonly record struct Day(LocalDate Date, DeployWindowReason ClosedBecause, BankHoliday? Holiday, Instant Opens, Instant Closes)
    {
        public bool HasWindow => ClosedBecause == DeployWindowReason.Open;
    }

    public Day DayOf(LocalDate date)
    {
        var hours = _policy.HoursOn(date.DayOfWeek);
        if (hours is null)
        {
            var weekend = date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
            return new Day(date, weekend ? DeployWindowReason.Weekend : DeployWindowReason.ClosedDay, null, default, default);
        }
        var holiday = _calendar.FindCanonical(date, _policy.HolidayDivision);
        if (holiday is not null)
        {
            return new Day(date, DeployWindowReason.BankHoliday, holiday, default, default);
        }
        // Leniently, because a configured zone may change its clocks at a window's edge (some
        // zones change at midnight): a time the clocks skip is taken as the moment they jump past
        // it, and a time that occurs twice as its first occurrence (the cautious reading for a
        // closing time). Strict conversion would throw instead. Europe/London changes at 01:00
        // and 02:00, so its windows are plain wall-clock times on every day, DST days included.
        var opens = date.At(hours.Value.Opens).InZoneLeniently(_policy.Zone).ToInstant();
        var closes = date.At(hours.Value.Closes).InZoneLeniently(_policy.Zone).ToInstant();
        return new Day(date, DeployWindowReason.Open, null, opens, closes);
    }

    public DeployWindowVerdict Evaluate(Instant at, string environment, Duration duration, DeployFreeze? freeze)
    {
        var atOffset = ToOffset(at);
        if (_policy.AlwaysOpen)
        {
            if (freeze is not null)
            {
                var lifts = freeze.Until is { } until ? Instant.FromDateTimeOffset(until) : (Instant?)null;
                return new DeployWindowVerdict
                {
                    Allowed = false,
                    Reason = DeployWindowReason.Frozen,
                    Detail = DescribeFreeze(freeze),
                    At = atOffset,
                    Environment = environment,
                    Freeze = freeze,
                    NextOpening = lifts is null ? null : ToOffset(lifts.Value),
                    NextOpeningDetail = lifts is null ? "When the freeze is lifted" : $"{Describe(lifts.Value)} (when the freeze ends)",
                };
            }
            return new DeployWindowVerdict
            {
                Allowed = true,
                Reason = DeployWindowReason.Open,
                Detail = $"{environment} is always open",
                At = atOffset,
                Environment = environment,
            };
        }

        var local = at.InZone(_policy.Zone).LocalDateTime;
        var today = DayOf(local.Date);
        var inWindow = today.HasWindow && at >= today.Opens && at < today.Closes;

        if (freeze is not null)
        {
            Instant? from = freeze.Until is { } until ? Instant.Max(at, Instant.FromDateTimeOffset(until)) : null;
            var next = from is null ? null : FirstDeployableFrom(from.Value, duration);
            return new DeployWindowVerdict
            {
                Allowed = false,
                Reason = DeployWindowReason.Frozen,
                Detail = DescribeFreeze(freeze),
                At = atOffset,
                Environment = environment,
                Freeze = freeze,
                WindowCloses = inWindow ? ToOffset(today.Closes) : null,
                NextOpening = next is null ? null : ToOffset(next.Value),
                NextOpeningDetail = from is null
                    ? "When the freeze is lifted"
                    : next is null ? NoWindowDetail(duration) : DescribeOpening(next.Value, from.Value.InZone(_policy.Zone).Date),
            };
        }

        if (inWindow)
        {
            var finishes = at + duration;
            if (finishes > today.Closes)
            {
                var later = NextOpeningAfter(at, duration);
                return new DeployWindowVerdict
                {
                    Allowed = false,
                    Reason = DeployWindowReason.FinishesAfterClosing,
                    Detail = $"A deploy of {DescribeDuration(duration)} starting at {Time(at)} would finish at {Time(finishes)}, after the window closes at {Time(today.Closes)}",
                    At = atOffset,
                    Environment = environment,
                    WindowCloses = ToOffset(today.Closes),
                    NextOpening = later is null ? null : ToOffset(later.Value),
                    NextOpeningDetail = later is null ? NoWindowDetail(duration) : DescribeOpening(later.Value, local.Date),
                };
            }
            var following = NextOpeningAfter(today.Closes, duration);
            return new DeployWindowVerdict
            {
                Allowed = true,
                Reason = DeployWindowReason.Open,
                Detail = $"Open until {Time(today.Closes)}",
                At = atOffset,
                Environment = environment,
                WindowCloses = ToOffset(today.Closes),
                NextOpening = following is null ? null : ToOffset(following.Value),
                NextOpeningDetail = following is null ? null : DescribeOpening(following.Value, local.Date.PlusDays(1)),
            };
        }

        var (reason, detail) = today.ClosedBecause switch
        {
            DeployWindowReason.Weekend => (DeployWindowReason.Weekend, $"{DayName(local.Date)} is a weekend day"),
            DeployWindowReason.ClosedDay => (DeployWindowReason.ClosedDay, $"There is no deploy window on {DayName(local.Date)}s"),
            DeployWindowReason.BankHoliday => (DeployWindowReason.BankHoliday, today.Holiday!.Title),
            _ when at < today.Opens => (DeployWindowReason.BeforeOpening, $"The window opens at {Time(today.Opens)}"),
            _ => (DeployWindowReason.AfterClosing, $"The window closed at {Time(today.Closes)}"),
        };
        var opening = NextOpeningAfter(at, duration);
        return new DeployWindowVerdict
        {
            Allowed = false,
            Reason = reason,
            Detail = detail,
            At = atOffset,
            Environment = environment,
            NextOpening = opening is null ? null : ToOffset(opening.Value),
            NextOpeningDetail = opening is null ? NoWindowDetail(duration) : DescribeOpening(opening.Value, local.Date),
        };
    }

    /// <summary>The windows on the <paramref name="days"/> local dates starting with <paramref name="from"/>'s, less those already closed.</summary>
    public IEnumerable<(Instant Opens, Instant Closes)> Windows(Instant from, int days)
    {
        var date = from.InZone(_policy.Zone).Date;
        for (var i = 0; i < days; i++, date = date.PlusDays(1))
        {
            var day = DayOf(date);
            if (day.HasWindow && day.Closes > from)
            {
                yield return (day.Opens, day.Closes);
            }
        }
    }

    public DateTimeOffset ToOffset(Instant instant) => instant.InZone(_policy.Zone).ToDateTimeOffset();

    /// <summary>The first window to open strictly after <paramref name="after"/> that is long enough for the deploy.</summary>
    private Instant? NextOpeningAfter(Instant after, Duration duration)
    {
        var date = after.InZone(_policy.Zone).Date;
        for (var i = 0; i < SearchDays; i++, date = date.PlusDays(1))
        {
            var day = DayOf(date);
            if (day.HasWindow && day.Opens > after && day.Closes - day.Opens >= duration)
            {
                return day.Opens;
            }
        }
        return null;
    }

    /// <summary>The first instant at or after <paramref name="from"/> when a deploy of the given length may start.</summary>
    private Instant? FirstDeployableFrom(Instant from, Duration duration)
    {
        var today = DayOf(from.InZone(_policy.Zone).Date);
        if (today.HasWindow && from >= today.Opens && from + duration <= today.Closes)
        {
            return from;
        }
        return NextOpeningAfter(from, duration);
    }

    /// <summary>"Tuesday 29 December 09:30 (Monday 28 December is a bank holiday)": the bank holidays that keep it shut from <paramref name="since"/> are named.</summary>
    private string DescribeOpening(Instant opening, LocalDate since)
    {
        var openingDate = opening.InZone(_policy.Zone).Date;
        List<LocalDate>? holidays = null;
        for (var date = since; date < openingDate; date = date.PlusDays(1))
        {
            if (DayOf(date).ClosedBecause == DeployWindowReason.BankHoliday)
            {
                (holidays ??= []).Add(date);
            }
        }
        var text = new StringBuilder(Describe(opening, since.Year));
        if (holidays is not null)
        {
            text.Append(" (");
            for (var i = 0; i < holidays.Count; i++)
            {
                text.Append(i == 0 ? "" : i == holidays.Count - 1 ? " and " : ", ");
                text.Append(DateText(holidays[i], since.Year));
            }
            text.Append(holidays.Count == 1 ? " is a bank holiday)" : " are bank holidays)");
        }
        return text.ToString();
    }

    private string Describe(Instant instant, int? currentYear = null)
    {
        var local = instant.InZone(_policy.Zone).LocalDateTime;
        return $"{DateText(local.Date, currentYear ?? local.Year)} {local.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture)}";
    }

    /// <summary>"Monday 28 December", with the year only when it is not the year being talked about.</summary>
    private static string DateText(LocalDate date, int currentYear) =>
        date.ToString(date.Year == currentYear ? "dddd d MMMM" : "dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string DayName(LocalDate date) => date.DayOfWeek.ToString();

    private string Time(Instant instant) => instant.InZone(_policy.Zone).TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture);

    private string DescribeFreeze(DeployFreeze freeze)
    {
        var what = freeze.IsGlobal ? "Every application is" : $"{freeze.Application} is";
        var until = freeze.Until is { } u ? $" until {Describe(Instant.FromDateTimeOffset(u))}" : " until it is lifted";
        return $"{what} frozen in {freeze.Environment}{until}: {freeze.Reason} (contact {freeze.Contact}; set by {freeze.SetBy})";
    }

    private static string NoWindowDetail(Duration duration) =>
        $"No window in the next {SearchDays} days is long enough for a deploy of {DescribeDuration(duration)}";

    private static string DescribeDuration(Duration duration)
    {
        var span = duration.ToTimeSpan();
        return span.TotalHours >= 1
            ? $"{(int)span.TotalHours}h{span.Minutes:00}m"
            : $"{Math.Ceiling(span.TotalMinutes)} minutes";
    }
}
