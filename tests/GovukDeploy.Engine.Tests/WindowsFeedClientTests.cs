using System.Net;
using System.Net.Sockets;
using System.Text;
using GovukDeploy.Errors;
using GovukDeploy.Holidays;
using GovukDeploy.DeployWindows;
using NodaTime;
using NodaTime.Testing;

namespace GovukDeploy.Tests;

public class WindowsFeedClientTests : IDisposable
{
    private static readonly Uri FeedUri = new("http://127.0.0.1:9/bank-holidays.json");

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "govuk-deploy-feed-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private BankHolidayCache Cache() => new(Path.Combine(_folder, BankHolidayCache.FileName));

    /// <summary>Answers every request with the given function, without a network.</summary>
    private sealed class FakeHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return answer(request, cancellationToken);
        }
    }

    private static HttpClient Answering(HttpStatusCode status, string body) =>
        new(new FakeHandler((_, _) => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") })));

    private static readonly string GoodFeed = WindowsHolidayCalendarTests.FeedJson(
        ("2026-12-25", "Christmas Day", ""),
        ("2026-12-28", "Boxing Day", "Substitute day"),
        ("2026-12-30", "A one-off holiday", ""));

    [Fact]
    public async Task AGoodFeedIsCachedAndUsedAtOnce()
    {
        var cache = Cache();
        var service = new DeployWindowService(
            new FakeClock(Instant.FromUtc(2026, 11, 26, 12, 0)),
            DeployWindowPolicy.Build(),
            new BankHolidayCalendar(),
            new BankHolidayFeedClient(cache, Answering(HttpStatusCode.OK, GoodFeed)));
        var at = new DateTimeOffset(2026, 12, 30, 10, 0, 0, TimeSpan.Zero);
        Assert.True(service.Test(at, "production").Allowed);

        var update = await service.RefreshHolidaysAsync(FeedUri, CancellationToken.None);

        Assert.Equal(cache.FilePath, update.CachePath);
        Assert.Equal(2026, update.FirstYear);
        Assert.Equal(3, update.Holidays["scotland"]);
        Assert.Equal(GoodFeed, File.ReadAllText(cache.FilePath));
        var verdict = service.Test(at, "production");
        Assert.Equal(DeployWindowReason.BankHoliday, verdict.Reason);
        Assert.Equal("A one-off holiday", verdict.Detail);
        // A new process reading the cache sees the same.
        Assert.Equal(BankHolidaySource.Feed, BankHolidayCalendar.Load(cache).Find(new DateOnly(2026, 12, 30), "england-and-wales")?.Source);
    }

    [Theory]
    [InlineData("{\"england-and-wales\": {\"events\": []}}")]
    [InlineData("<html>Service unavailable</html>")]
    public async Task ABadFeedLeavesTheCacheUntouched(string body)
    {
        var cache = Cache();
        cache.Save(Encoding.UTF8.GetBytes(GoodFeed));
        var client = new BankHolidayFeedClient(cache, Answering(HttpStatusCode.OK, body));

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => client.RefreshAsync(FeedUri, CancellationToken.None));

        Assert.Equal("HolidayFeedInvalid", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        Assert.Equal(FeedUri.ToString(), error.Target);
        Assert.Equal(GoodFeed, File.ReadAllText(cache.FilePath));
    }

    [Fact]
    public async Task AnErrorStatusIsReportedAndNothingIsWritten()
    {
        var cache = Cache();
        var client = new BankHolidayFeedClient(cache, Answering(HttpStatusCode.ServiceUnavailable, "down"));
        var error = await Assert.ThrowsAsync<GovukDeployException>(() => client.RefreshAsync(FeedUri, CancellationToken.None));
        Assert.Equal("HolidayFeedUnavailable", error.ErrorId);
        // One id, one kind: a feed that answers with an error is as unavailable as one that does not answer.
        Assert.Equal(ErrorKind.ConnectionError, error.Kind);
        Assert.Contains("503", error.Message);
        Assert.False(cache.Exists);
    }

    [Fact]
    public async Task ASlowFeedTimesOut()
    {
        var slow = new HttpClient(new FakeHandler(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }));
        var client = new BankHolidayFeedClient(Cache(), slow, TimeSpan.FromMilliseconds(100));
        var error = await Assert.ThrowsAsync<GovukDeployException>(() => client.RefreshAsync(FeedUri, CancellationToken.None));
        Assert.Equal("HolidayFeedTimeout", error.ErrorId);
        Assert.Equal(ErrorKind.OperationTimeout, error.Kind);
    }

    [Fact]
    public async Task CancellingStopsTheFetch()
    {
        var slow = new HttpClient(new FakeHandler(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }));
        var client = new BankHolidayFeedClient(Cache(), slow);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.RefreshAsync(FeedUri, cancel.Token));
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/bank-holidays.json")]
    [InlineData("file:///tmp/bank-holidays.json")]
    public async Task OnlyHttpAddressesAreAccepted(string uri)
    {
        var handler = new FakeHandler((_, _) => throw new InvalidOperationException("must not be called"));
        var client = new BankHolidayFeedClient(Cache(), new HttpClient(handler));
        var error = await Assert.ThrowsAsync<GovukDeployException>(() => client.RefreshAsync(new Uri(uri), CancellationToken.None));
        Assert.Equal("InvalidHolidayFeedUri", error.ErrorId);
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public async Task AnUnreachableFeedIsAConnectionError()
    {
        // A port that was free a moment ago and has nothing listening.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var client = new BankHolidayFeedClient(Cache(), new HttpClient(), TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAsync<GovukDeployException>(() => client.RefreshAsync(new Uri($"http://127.0.0.1:{port}/bank-holidays.json"), CancellationToken.None));
        Assert.Equal("HolidayFeedUnavailable", error.ErrorId);
        Assert.Equal(ErrorKind.ConnectionError, error.Kind);
    }

    [Fact]
    public async Task AFeedServedOnTheLoopbackIsFetched()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var connection = await listener.AcceptTcpClientAsync();
            var stream = connection.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII);
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync()))
            {
                // Read the request headers up to the blank line.
            }
            var body = Encoding.UTF8.GetBytes(GoodFeed);
            var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(head);
            await stream.WriteAsync(body);
        });
        try
        {
            var cache = Cache();
            var feed = await new BankHolidayFeedClient(cache, new HttpClient(), TimeSpan.FromSeconds(10))
                .RefreshAsync(new Uri($"http://127.0.0.1:{port}/bank-holidays.json"), CancellationToken.None);
            Assert.Equal(3, feed.ByDivision["northern-ireland"].Count);
            Assert.True(cache.Exists);
            await server;
        }
        finally
        {
            listener.Stop();
        }
    }
}
