using GovukDeploy.Errors;
using GovukDeploy.Holidays;
using GovukDeploy.DeployWindows;
using NodaTime;
using NodaTime.Testing;

namespace GovukDeploy.Tests;

public class WindowsEvaluatorTests
{
    private static readonly BankHolidayCalendar Calendar = new();

    private static DeployWindowService Service(IReadOnlyDictionary<string, DeployWindowPolicySettings>? overrides = null, FakeClock? clock = null) =>
        new(clock ?? new FakeClock(Instant.FromUtc(2026, 11, 26, 12, 0)), DeployWindowPolicy.Build(overrides), Calendar);

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    // Instant, expected reason, expected next opening (as the policy zone sees it; "" when none is expected to be checked).
    [Theory]
    // 2025: clocks go forward on Sunday 30 March (01:00 GMT becomes 02:00 BST).
    [InlineData("2025-03-28T09:29:59+00:00", DeployWindowReason.BeforeOpening, "2025-03-28T09:30:00+00:00")]
    [InlineData("2025-03-28T09:30:00+00:00", DeployWindowReason.Open, "2025-03-31T09:30:00+01:00")]
    [InlineData("2025-03-28T15:59:59+00:00", DeployWindowReason.Open, "2025-03-31T09:30:00+01:00")]
    [InlineData("2025-03-28T16:00:00+00:00", DeployWindowReason.AfterClosing, "2025-03-31T09:30:00+01:00")]
    [InlineData("2025-03-30T00:59:00+00:00", DeployWindowReason.Weekend, "2025-03-31T09:30:00+01:00")]
    [InlineData("2025-03-30T01:30:00+00:00", DeployWindowReason.Weekend, "2025-03-31T09:30:00+01:00")]
    [InlineData("2025-03-31T08:29:00+00:00", DeployWindowReason.BeforeOpening, "2025-03-31T09:30:00+01:00")]
    [InlineData("2025-03-31T08:30:00+00:00", DeployWindowReason.Open, "2025-04-01T09:30:00+01:00")]
    [InlineData("2025-03-31T15:59:00+00:00", DeployWindowReason.Open, "2025-04-01T09:30:00+01:00")]
    [InlineData("2025-03-31T16:00:00+00:00", DeployWindowReason.AfterClosing, "2025-04-01T09:30:00+01:00")]
    // 2025: clocks go back on Sunday 26 October (02:00 BST becomes 01:00 GMT).
    [InlineData("2025-10-24T14:59:00+00:00", DeployWindowReason.Open, "2025-10-27T09:30:00+00:00")]
    [InlineData("2025-10-24T15:00:00+00:00", DeployWindowReason.AfterClosing, "2025-10-27T09:30:00+00:00")]
    [InlineData("2025-10-26T01:30:00+01:00", DeployWindowReason.Weekend, "2025-10-27T09:30:00+00:00")]
    [InlineData("2025-10-26T01:30:00+00:00", DeployWindowReason.Weekend, "2025-10-27T09:30:00+00:00")]
    [InlineData("2025-10-27T09:29:00+00:00", DeployWindowReason.BeforeOpening, "2025-10-27T09:30:00+00:00")]
    [InlineData("2025-10-27T08:30:00+00:00", DeployWindowReason.BeforeOpening, "2025-10-27T09:30:00+00:00")]
    [InlineData("2025-10-27T16:59:00+00:00", DeployWindowReason.Open, "2025-10-28T09:30:00+00:00")]
    [InlineData("2025-10-27T17:00:00+00:00", DeployWindowReason.AfterClosing, "2025-10-28T09:30:00+00:00")]
    // 2026: forward on Sunday 29 March, back on Sunday 25 October.
    [InlineData("2026-03-27T16:30:00+00:00", DeployWindowReason.AfterClosing, "2026-03-30T09:30:00+01:00")]
    [InlineData("2026-03-29T01:00:00+00:00", DeployWindowReason.Weekend, "2026-03-30T09:30:00+01:00")]
    [InlineData("2026-03-30T08:29:59+00:00", DeployWindowReason.BeforeOpening, "2026-03-30T09:30:00+01:00")]
    [InlineData("2026-03-30T08:30:00+00:00", DeployWindowReason.Open, "2026-03-31T09:30:00+01:00")]
    [InlineData("2026-10-23T14:59:00+00:00", DeployWindowReason.Open, "2026-10-26T09:30:00+00:00")]
    [InlineData("2026-10-23T15:00:00+00:00", DeployWindowReason.AfterClosing, "2026-10-26T09:30:00+00:00")]
    [InlineData("2026-10-25T00:30:00+00:00", DeployWindowReason.Weekend, "2026-10-26T09:30:00+00:00")]
    [InlineData("2026-10-25T01:30:00+00:00", DeployWindowReason.Weekend, "2026-10-26T09:30:00+00:00")]
    [InlineData("2026-10-26T09:30:00+00:00", DeployWindowReason.Open, "2026-10-27T09:30:00+00:00")]
    // Friday closes at 16:00, Monday to Thursday at 17:00.
    [InlineData("2026-11-26T16:59:00+00:00", DeployWindowReason.Open, "2026-11-27T09:30:00+00:00")]
    [InlineData("2026-11-26T17:00:00+00:00", DeployWindowReason.AfterClosing, "2026-11-27T09:30:00+00:00")]
    [InlineData("2026-11-27T15:59:00+00:00", DeployWindowReason.Open, "2026-11-30T09:30:00+00:00")]
    [InlineData("2026-11-27T16:00:00+00:00", DeployWindowReason.AfterClosing, "2026-11-30T09:30:00+00:00")]
    [InlineData("2026-11-27T16:30:00+00:00", DeployWindowReason.AfterClosing, "2026-11-30T09:30:00+00:00")]
    [InlineData("2026-11-27T17:00:00+00:00", DeployWindowReason.AfterClosing, "2026-11-30T09:30:00+00:00")]
    // Any offset: the answer is in London time.
    [InlineData("2025-06-02T12:00:00-07:00", DeployWindowReason.AfterClosing, "2025-06-03T09:30:00+01:00")]
    [InlineData("2025-06-02T18:00:00+09:00", DeployWindowReason.Open, "2025-06-03T09:30:00+01:00")]
    [InlineData("2025-06-06T23:30:00-05:00", DeployWindowReason.Weekend, "2025-06-09T09:30:00+01:00")]
    // Substitute bank holidays.
    [InlineData("2020-12-28T12:00:00+00:00", DeployWindowReason.BankHoliday, "2020-12-29T09:30:00+00:00")]
    [InlineData("2021-12-27T12:00:00+00:00", DeployWindowReason.BankHoliday, "2021-12-29T09:30:00+00:00")]
    [InlineData("2021-12-28T12:00:00+00:00", DeployWindowReason.BankHoliday, "2021-12-29T09:30:00+00:00")]
    [InlineData("2022-01-03T10:00:00+00:00", DeployWindowReason.BankHoliday, "2022-01-04T09:30:00+00:00")]
    [InlineData("2023-01-02T10:00:00+00:00", DeployWindowReason.BankHoliday, "2023-01-03T09:30:00+00:00")]
    // One-off holidays, and the day that was a holiday before it moved.
    [InlineData("2020-05-08T10:00:00+01:00", DeployWindowReason.BankHoliday, "2020-05-11T09:30:00+01:00")]
    [InlineData("2020-05-04T10:00:00+01:00", DeployWindowReason.Open, "2020-05-05T09:30:00+01:00")]
    [InlineData("2022-05-30T10:00:00+01:00", DeployWindowReason.Open, "2022-05-31T09:30:00+01:00")]
    [InlineData("2022-06-01T17:30:00+01:00", DeployWindowReason.AfterClosing, "2022-06-06T09:30:00+01:00")]
    [InlineData("2022-06-03T10:00:00+01:00", DeployWindowReason.BankHoliday, "2022-06-06T09:30:00+01:00")]
    [InlineData("2022-09-19T10:00:00+01:00", DeployWindowReason.BankHoliday, "2022-09-20T09:30:00+01:00")]
    [InlineData("2023-05-08T10:00:00+01:00", DeployWindowReason.BankHoliday, "2023-05-09T09:30:00+01:00")]
    // Christmas and New Year: the next opening skips the weekend and the holidays.
    [InlineData("2020-12-24T17:30:00+00:00", DeployWindowReason.AfterClosing, "2020-12-29T09:30:00+00:00")]
    [InlineData("2026-12-24T17:00:00+00:00", DeployWindowReason.AfterClosing, "2026-12-29T09:30:00+00:00")]
    [InlineData("2026-12-31T17:00:00+00:00", DeployWindowReason.AfterClosing, "2027-01-04T09:30:00+00:00")]
    public void ProductionVerdicts(string at, DeployWindowReason reason, string nextOpening)
    {
        var verdict = Service().Test(At(at), "production");

        Assert.Equal(reason, verdict.Reason);
        Assert.Equal(reason == DeployWindowReason.Open, verdict.Allowed);
        Assert.Equal(At(at), verdict.At);
        Assert.Equal("production", verdict.Environment);
        Assert.NotNull(verdict.NextOpening);
        // Same instant and the London offset of that instant.
        Assert.Equal(At(nextOpening), verdict.NextOpening.Value);
        Assert.Equal(At(nextOpening).Offset, verdict.NextOpening.Value.Offset);
        Assert.NotNull(verdict.NextOpeningDetail);
        if (verdict.Allowed)
        {
            Assert.NotNull(verdict.WindowCloses);
        }
        else
        {
            Assert.Null(verdict.WindowCloses);
        }
    }

    [Fact]
    public void ReturnedTimesCarryTheLondonOffset()
    {
        var verdict = Service().Test(At("2025-06-02T18:00:00+09:00"), "production");
        Assert.Equal(TimeSpan.FromHours(1), verdict.At.Offset);
        Assert.Equal(new DateTime(2025, 6, 2, 10, 0, 0), verdict.At.DateTime);
        Assert.Equal(At("2025-06-02T17:00:00+01:00"), verdict.WindowCloses);
        Assert.Equal(TimeSpan.FromHours(1), verdict.WindowCloses!.Value.Offset);
    }

    [Fact]
    public void TheWindowClosesAtWallClockTimeOnEachSideOfTheClockChange()
    {
        var before = Service().Test(At("2025-03-28T12:00:00+00:00"), "staging");
        var after = Service().Test(At("2025-03-31T12:00:00+01:00"), "staging");
        Assert.Equal(At("2025-03-28T16:00:00+00:00"), before.WindowCloses);
        Assert.Equal(At("2025-03-31T17:00:00+01:00"), after.WindowCloses);
    }

    [Fact]
    public void ABankHolidayNamesItselfAndTheNextOpeningSaysWhy()
    {
        var verdict = Service().Test(At("2020-12-28T11:00:00+00:00"), "production");
        Assert.Equal(DeployWindowReason.BankHoliday, verdict.Reason);
        Assert.Equal("Boxing Day", verdict.Detail);
        Assert.Equal("Tuesday 29 December 09:30 (Monday 28 December is a bank holiday)", verdict.NextOpeningDetail);
    }

    [Fact]
    public void NextOpeningAcrossChristmasNamesEveryHolidayOnTheWay()
    {
        var verdict = Service().Test(At("2020-12-24T17:30:00+00:00"), "production");
        Assert.Equal("Tuesday 29 December 09:30 (Friday 25 December and Monday 28 December are bank holidays)", verdict.NextOpeningDetail);
    }

    [Fact]
    public void NextOpeningInTheNewYearShowsTheYear()
    {
        var verdict = Service().Test(At("2026-12-31T17:00:00+00:00"), "production");
        Assert.Equal("Monday 4 January 2027 09:30 (Friday 1 January 2027 is a bank holiday)", verdict.NextOpeningDetail);
    }

    [Theory]
    [InlineData("2024-01-02T10:00:00+00:00", "2nd January")]
    [InlineData("2026-11-30T10:00:00+00:00", "St Andrew’s Day")]
    [InlineData("2025-08-04T10:00:00+01:00", "Summer bank holiday")]
    public void ScotlandClosesOnItsOwnHolidaysWhileEnglandIsOpen(string at, string holiday)
    {
        var scottish = DeployWindowPolicySettings.OfficeHours();
        scottish.HolidayDivision = HolidayDivision.Scotland;
        var service = Service(new Dictionary<string, DeployWindowPolicySettings> { ["staging"] = scottish });

        var inScotland = service.Test(At(at), "staging");
        Assert.False(inScotland.Allowed);
        Assert.Equal(DeployWindowReason.BankHoliday, inScotland.Reason);
        Assert.Equal(holiday, inScotland.Detail);

        Assert.True(service.Test(At(at), "production").Allowed);
    }

    [Fact]
    public void EnglandClosesOnEasterMondayButScotlandDoesNot()
    {
        var scottish = DeployWindowPolicySettings.OfficeHours();
        scottish.HolidayDivision = "scotland";
        var service = Service(new Dictionary<string, DeployWindowPolicySettings> { ["staging"] = scottish });
        Assert.True(service.Test(At("2025-04-21T10:00:00+01:00"), "staging").Allowed);
        Assert.Equal(DeployWindowReason.BankHoliday, service.Test(At("2025-04-21T10:00:00+01:00"), "production").Reason);
    }

    [Theory]
    [InlineData("2026-11-27T15:30:00+00:00", 30, true)] // finishes exactly at Friday's 16:00
    [InlineData("2026-11-27T15:30:00+00:00", 31, false)]
    [InlineData("2026-11-27T15:30:00+00:00", 45, false)]
    [InlineData("2026-11-26T16:30:00+00:00", 30, true)] // Thursday closes at 17:00
    [InlineData("2026-11-26T16:30:00+00:00", 45, false)]
    public void TheDeployMustFinishInsideTheWindow(string at, int minutes, bool allowed)
    {
        var verdict = Service().Test(At(at), "production", TimeSpan.FromMinutes(minutes));
        Assert.Equal(allowed, verdict.Allowed);
        Assert.Equal(allowed ? DeployWindowReason.Open : DeployWindowReason.FinishesAfterClosing, verdict.Reason);
        Assert.NotNull(verdict.WindowCloses);
        if (!allowed)
        {
            Assert.Contains("would finish at", verdict.Detail);
        }
    }

    [Fact]
    public void ADeployLongerThanFridaysWindowWaitsForALongerOne()
    {
        // Seven hours fit Monday to Thursday (7h30) but not Friday (6h30).
        var verdict = Service().Test(At("2026-11-26T10:30:00+00:00"), "production", TimeSpan.FromHours(7));
        Assert.Equal(DeployWindowReason.FinishesAfterClosing, verdict.Reason);
        Assert.Equal(At("2026-11-30T09:30:00+00:00"), verdict.NextOpening);
    }

    [Fact]
    public void ADeployLongerThanEveryWindowHasNoNextOpening()
    {
        var verdict = Service().Test(At("2026-11-26T10:00:00+00:00"), "production", TimeSpan.FromHours(9));
        Assert.False(verdict.Allowed);
        Assert.Null(verdict.NextOpening);
        Assert.Contains("long enough", verdict.NextOpeningDetail);
    }

    [Theory]
    [InlineData("2025-12-25T03:00:00+00:00")]
    [InlineData("2026-03-29T01:30:00+00:00")]
    [InlineData("2026-11-28T23:59:00+00:00")]
    public void IntegrationIsAlwaysOpen(string at)
    {
        var verdict = Service().Test(At(at), "integration", TimeSpan.FromHours(12));
        Assert.True(verdict.Allowed);
        Assert.Equal(DeployWindowReason.Open, verdict.Reason);
        Assert.Null(verdict.WindowCloses);
        Assert.Null(verdict.NextOpening);
    }

    [Fact]
    public void WithoutAnInstantTheClockIsUsed()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 28, 12, 0)); // a Saturday
        var service = Service(clock: clock);
        Assert.Equal(DeployWindowReason.Weekend, service.Test(null, "production").Reason);
        clock.AdvanceDays(2);
        var monday = service.Test(null, "production");
        Assert.True(monday.Allowed);
        Assert.Equal(At("2026-11-30T12:00:00+00:00"), monday.At);
    }

    // Freezes

    private static DeployFreeze Freeze(string environment, DateTimeOffset? until = null, string application = "publisher", DateTimeOffset? liftedAt = null) => new()
    {
        Application = application,
        Environment = environment,
        Reason = "Election period",
        Contact = "#govuk-publishing",
        SetBy = "alice",
        SetAt = At("2026-11-01T09:00:00+00:00"),
        Until = until,
        LiftedAt = liftedAt,
        LiftedBy = liftedAt is null ? null : "bob",
    };

    [Fact]
    public void AnActiveFreezeBlocksAnOpenWindow()
    {
        var freeze = Freeze("production");
        var verdict = Service().Test(At("2026-11-26T10:00:00+00:00"), "production", null, [freeze]);
        Assert.False(verdict.Allowed);
        Assert.Equal(DeployWindowReason.Frozen, verdict.Reason);
        Assert.Same(freeze, verdict.Freeze);
        Assert.Contains("Election period", verdict.Detail);
        Assert.Contains("#govuk-publishing", verdict.Detail);
        Assert.Null(verdict.NextOpening); // no end: it opens when someone lifts it
        Assert.Equal("When the freeze is lifted", verdict.NextOpeningDetail);
    }

    [Fact]
    public void FreezesElsewhereOrOverDoNotBlock()
    {
        var at = At("2026-11-26T10:00:00+00:00");
        var freezes = new[]
        {
            Freeze("staging"),
            Freeze("production", until: At("2026-11-26T09:59:59+00:00")),
            Freeze("production", liftedAt: At("2026-11-20T10:00:00+00:00")),
        };
        Assert.True(Service().Test(at, "production", null, freezes).Allowed);
        Assert.Equal(DeployWindowReason.Frozen, Service().Test(at, "staging", null, freezes).Reason);
    }

    [Fact]
    public void AFreezeForEveryEnvironmentBlocksIntegrationToo()
    {
        var freeze = Freeze(DeployFreeze.Global, until: At("2026-11-26T14:00:00+00:00"), application: DeployFreeze.Global);
        var verdict = Service().Test(At("2026-11-26T10:00:00+00:00"), "integration", null, [freeze]);
        Assert.Equal(DeployWindowReason.Frozen, verdict.Reason);
        Assert.Equal(At("2026-11-26T14:00:00+00:00"), verdict.NextOpening);
        Assert.Contains("Every application", verdict.Detail);
    }

    [Fact]
    public void AFreezeEndingInsideAWindowOpensWhenItEnds()
    {
        var verdict = Service().Test(At("2026-11-26T10:00:00+00:00"), "production", null, [Freeze("production", until: At("2026-11-26T14:00:00+00:00"))]);
        Assert.Equal(DeployWindowReason.Frozen, verdict.Reason);
        Assert.Equal(At("2026-11-26T14:00:00+00:00"), verdict.NextOpening);
        Assert.Equal(At("2026-11-26T17:00:00+00:00"), verdict.WindowCloses);
    }

    [Fact]
    public void AFreezeEndingAtTheWeekendOpensOnMonday()
    {
        var freezes = new[]
        {
            Freeze("production", until: At("2026-11-27T12:00:00+00:00")),
            Freeze("production", until: At("2026-11-28T12:00:00+00:00")), // the longer one decides
        };
        var verdict = Service().Test(At("2026-11-26T10:00:00+00:00"), "production", null, freezes);
        Assert.Same(freezes[1], verdict.Freeze);
        Assert.Equal(At("2026-11-30T09:30:00+00:00"), verdict.NextOpening);
    }

    // Windows

    [Fact]
    public void WindowsSkipWeekendsAndHolidaysAndIncludeTheOneInProgress()
    {
        var windows = Service().Windows(At("2020-12-24T12:00:00+00:00"), 7, "production");
        Assert.Equal(
            [
                (At("2020-12-24T09:30:00+00:00"), At("2020-12-24T17:00:00+00:00")),
                (At("2020-12-29T09:30:00+00:00"), At("2020-12-29T17:00:00+00:00")),
                (At("2020-12-30T09:30:00+00:00"), At("2020-12-30T17:00:00+00:00")),
            ],
            windows.Select(w => (w.Opens, w.Closes)));
        Assert.All(windows, w => Assert.Equal("production", w.Environment));
    }

    [Fact]
    public void WindowsAcrossTheClockChangeKeepWallClockHours()
    {
        var windows = Service().Windows(At("2025-03-28T17:00:00+00:00"), 4, "staging");
        var monday = Assert.Single(windows);
        Assert.Equal(At("2025-03-31T09:30:00+01:00"), monday.Opens);
        Assert.Equal(TimeSpan.FromHours(1), monday.Opens.Offset);
        Assert.Equal(TimeSpan.FromHours(7.5), monday.Length);
    }

    [Fact]
    public void IntegrationHasOneWindowCoveringTheWholeSpan()
    {
        var from = At("2026-11-28T12:00:00+00:00");
        var window = Assert.Single(Service().Windows(from, 3, "integration"));
        Assert.Equal(from, window.Opens);
        Assert.Equal(from.AddDays(3), window.Closes);
    }

    [Fact]
    public void WindowsWithoutAStartUseTheClock()
    {
        var service = Service(clock: new FakeClock(Instant.FromUtc(2026, 11, 27, 17, 0)));
        var first = service.Windows(null, 7, "production")[0];
        Assert.Equal(At("2026-11-30T09:30:00+00:00"), first.Opens);
    }

    // A zone whose clocks change at midnight (São Paulo in 2018-19), where a window's opening time can be skipped or repeated.

    [Fact]
    public void AnOpeningTimeTheClocksSkipOpensWhenTheyJumpPastIt()
    {
        var settings = new DeployWindowPolicySettings
        {
            TimeZone = "America/Sao_Paulo",
            Hours = [new DeployHoursSettings { Days = ["Sunday"], Opens = "00:30", Closes = "06:00" }],
        };
        var service = Service(new Dictionary<string, DeployWindowPolicySettings> { ["staging"] = settings });
        // On 4 November 2018 the clocks went from 00:00 (-03:00) to 01:00 (-02:00): 00:30 never happened.
        Assert.Equal(DeployWindowReason.BeforeOpening, service.Test(At("2018-11-04T03:29:00+00:00"), "staging").Reason);
        var open = service.Test(At("2018-11-04T03:30:00+00:00"), "staging");
        Assert.True(open.Allowed);
        Assert.Equal(At("2018-11-04T06:00:00-02:00"), open.WindowCloses);
    }

    [Fact]
    public void AClosingTimeThatHappensTwiceClosesAtTheFirst()
    {
        var settings = new DeployWindowPolicySettings
        {
            TimeZone = "America/Sao_Paulo",
            Hours = [new DeployHoursSettings { Days = ["Saturday"], Opens = "20:00", Closes = "23:30" }],
        };
        var service = Service(new Dictionary<string, DeployWindowPolicySettings> { ["staging"] = settings });
        // On 17 February 2019 at 00:00 (-02:00) the clocks went back to 23:00 on the 16th: 23:30 happened twice.
        var verdict = service.Test(At("2019-02-16T22:00:00-02:00"), "staging");
        Assert.Equal(At("2019-02-16T23:30:00-02:00"), verdict.WindowCloses);
        Assert.Equal(DeployWindowReason.AfterClosing, service.Test(At("2019-02-16T23:15:00-03:00"), "staging").Reason);
    }

    // Bad input

    [Fact]
    public void AnUnknownEnvironmentIsAnError()
    {
        var error = Assert.Throws<GovukDeployException>(() => Service().Test(At("2026-11-26T10:00:00+00:00"), "prod"));
        Assert.Equal("UnknownEnvironment", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("prod", error.Target);
        Assert.Contains("production", error.Message);
        Assert.Equal("UnknownEnvironment", Assert.Throws<GovukDeployException>(() => Service().Windows(null, 3, "qa")).ErrorId);
    }

    [Fact]
    public void ANegativeDurationIsAnError()
    {
        var error = Assert.Throws<GovukDeployException>(() => Service().Test(At("2026-11-26T10:00:00+00:00"), "production", TimeSpan.FromMinutes(-5)));
        Assert.Equal("InvalidDuration", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100_000)]
    public void AnUnreasonableDayCountIsAnError(int days)
    {
        var error = Assert.Throws<GovukDeployException>(() => Service().Windows(null, days, "production"));
        Assert.Equal("InvalidDayCount", error.ErrorId);
        Assert.Equal(days, error.Target);
    }

    [Fact]
    public void EnvironmentNamesAreCaseInsensitive()
    {
        Assert.Equal("production", Service().Test(At("2026-11-26T10:00:00+00:00"), "Production").Environment);
    }
}
