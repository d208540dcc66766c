using System.Net;
using GovukDeploy.Errors;

namespace GovukDeploy.Holidays;

/// <summary>
/// Fetches GOV.UK's bank-holidays.json (or any address serving the same format), checks it,
/// and only then replaces the cached copy: a feed that cannot be fetched or parsed leaves
/// the cache as it was.
/// </summary>
public sealed class BankHolidayFeedClient
{
    /// <summary>GOV.UK's published feed.</summary>
    public static readonly Uri DefaultFeedUri = new("https://www.gov.uk/bank-holidays.json");

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    // The real feed is about 20 KB; anything vastly larger is not it.
    private const int MaxFeedBytes = 4 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly BankHolidayCache _cache;
    private readonly TimeSpan _timeout;

    /// <param name="http">The client to send with (its handler carries proxy settings); one is made when null.</param>
    public BankHolidayFeedClient(BankHolidayCache cache, HttpClient? http = null, TimeSpan? timeout = null)
    {
        _cache = cache;
        _http = http ?? SharedClient.Value;
        _timeout = timeout ?? DefaultTimeout;
    }

    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient { Timeout = Timeout.InfiniteTimeSpan });

    public BankHolidayCache Cache => _cache;

    /// <summary>Downloads and validates the feed, writes it to the cache, and returns it.</summary>
    public async Task<BankHolidayFeed> RefreshAsync(Uri? feedUri, CancellationToken cancellationToken)
    {
        var uri = feedUri ?? DefaultFeedUri;
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw ErrorCatalogue.InvalidHolidayFeedUri(uri);
        }

        var bytes = await DownloadAsync(uri, cancellationToken).ConfigureAwait(false);
        var feed = BankHolidayFeed.Parse(bytes, uri.ToString());
        _cache.Save(bytes);
        return feed;
    }

    private async Task<byte[]> DownloadAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw ErrorCatalogue.HolidayFeedUnavailable(uri, $"it answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            if (response.Content.Headers.ContentLength > MaxFeedBytes)
            {
                throw BankHolidayFeed.Invalid(uri.ToString(), $"it is {response.Content.Headers.ContentLength} bytes long, far more than a bank-holiday feed");
            }
            var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using var bodyLifetime = body.ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, timeout.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxFeedBytes)
                {
                    throw BankHolidayFeed.Invalid(uri.ToString(), "it is far longer than a bank-holiday feed");
                }
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw ErrorCatalogue.HolidayFeedTimeout(uri, _timeout, ex);
        }
        catch (HttpRequestException ex)
        {
            throw ErrorCatalogue.HolidayFeedUnavailable(uri, ex.Message, ex);
        }
    }
}
