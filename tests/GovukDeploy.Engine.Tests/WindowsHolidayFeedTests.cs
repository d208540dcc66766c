using GovukDeploy.Errors;
using GovukDeploy.Holidays;

namespace GovukDeploy.Tests;

public class WindowsHolidayFeedTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "govuk-deploy-holiday-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"england-and-wales\": {\"division\": \"england-and-wales\", \"events\": []}}")]
    [InlineData("{\"england-and-wales\": {\"events\": [{\"title\": \"x\", \"date\": \"2026-13-01\"}]}, \"scotland\": {\"events\": []}, \"northern-ireland\": {\"events\": []}}")]
    [InlineData("{\"england-and-wales\": {\"events\": [{\"date\": \"2026-01-01\"}]}, \"scotland\": {\"events\": []}, \"northern-ireland\": {\"events\": []}}")]
    [InlineData("{\"england-and-wales\": {\"division\": \"scotland\", \"events\": [{\"title\": \"x\", \"date\": \"2026-01-01\"}]}}")]
    public void ACorruptFeedIsRejectedWithHolidayFeedInvalid(string json)
    {
        var error = Assert.Throws<GovukDeployException>(() => BankHolidayFeed.Parse(json, "the test feed"));
        Assert.Equal("HolidayFeedInvalid", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        Assert.Equal("the test feed", error.Target);
        Assert.Contains("the test feed", error.Message);
    }

    [Fact]
    public void AWellFormedFeedParsesWithItsNotes()
    {
        var feed = BankHolidayFeed.Parse(WindowsHolidayCalendarTests.FeedJson(("2026-12-28", "Boxing Day", "Substitute day"), ("2026-12-25", "Christmas Day", "")), "test");
        var holidays = feed.ByDivision[HolidayDivision.Scotland];
        Assert.Equal([new DateOnly(2026, 12, 25), new DateOnly(2026, 12, 28)], holidays.Select(h => h.Date));
        Assert.Equal("Substitute day", holidays[1].Notes);
    }

    [Fact]
    public void TheCacheIsWrittenWholeAndReadBack()
    {
        var cache = new BankHolidayCache(Path.Combine(_folder, "nested", BankHolidayCache.FileName));
        Assert.Null(cache.TryLoad());

        var json = WindowsHolidayCalendarTests.FeedJson(("2026-01-01", "New Year’s Day", ""));
        cache.Save(System.Text.Encoding.UTF8.GetBytes(json));

        var loaded = cache.TryLoad();
        Assert.NotNull(loaded);
        Assert.Single(loaded.ByDivision[HolidayDivision.EnglandAndWales]);
        // Nothing but the cache file is left behind.
        Assert.Equal([BankHolidayCache.FileName], Directory.GetFiles(Path.GetDirectoryName(cache.FilePath)!).Select(Path.GetFileName));
    }

    [Fact]
    public void ADamagedCacheSaysHowToRecover()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, BankHolidayCache.FileName);
        File.WriteAllText(path, "{ \"england-and-wales\": ");
        var error = Assert.Throws<GovukDeployException>(() => new BankHolidayCache(path).TryLoad());
        Assert.Equal("HolidayFeedInvalid", error.ErrorId);
        Assert.Equal(path, error.Target);
        Assert.Contains("Update-BankHoliday", error.Message);
    }

    [Fact]
    public void TheCalendarLoadsTheCachedFeed()
    {
        var cache = new BankHolidayCache(Path.Combine(_folder, BankHolidayCache.FileName));
        cache.Save(System.Text.Encoding.UTF8.GetBytes(WindowsHolidayCalendarTests.FeedJson(("2030-03-04", "Test holiday", ""))));
        var calendar = BankHolidayCalendar.Load(cache);
        Assert.Equal(BankHolidaySource.Feed, calendar.Find(new DateOnly(2030, 3, 4), HolidayDivision.EnglandAndWales)?.Source);
    }
}
