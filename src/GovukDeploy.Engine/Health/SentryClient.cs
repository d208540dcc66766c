using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GovukDeploy.Configuration;
using GovukDeploy.Errors;
using RestSharp;

namespace GovukDeploy.Health;

/// <summary>One Sentry issue as the issue list gives it (text already cleaned).</summary>
public sealed record SentryIssue(string Id, string ShortId, string Title, string Level, long Count, DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen,
    string? Permalink, string Status, bool Regressed);

/// <summary>What one search found, and whether the page limit cut it short.</summary>
public sealed record SentryIssueList(IReadOnlyList<SentryIssue> Issues, bool Truncated, int Pages);

/// <summary>
/// Sentry's REST API (/api/0/) with a bearer token: a project's issues for a search query, following the
/// Link header's cursor one request per page until rel="next" says results="false". The token never
/// appears in a message.
/// </summary>
public sealed partial class SentryClient : IDisposable
{
    private readonly RestClient _rest;
    private readonly Secret? _token;

    public SentryClient(Uri baseUrl, Secret? token, TimeSpan? timeout = null, Func<HttpMessageHandler, HttpMessageHandler>? wrapHandler = null)
    {
        BaseUrl = new Uri(baseUrl.ToString().TrimEnd('/') + "/");
        _token = token;
        var options = new RestClientOptions(BaseUrl)
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(15),
            FollowRedirects = false,
            ThrowOnAnyError = false,
            UserAgent = "GovukDeploy",
        };
        if (wrapHandler is not null)
        {
            options.ConfigureMessageHandler = wrapHandler;
        }

        _rest = new RestClient(options);
    }

    public Uri BaseUrl { get; }

    /// <summary>
    /// The project's issues matching <paramref name="query"/>, newest activity first, reading at most
    /// <paramref name="maxPages"/> pages. SentryProjectNotFound when Sentry has no such project.
    /// </summary>
    public async Task<SentryIssueList> ListIssuesAsync(string organisation, string project, string query, int maxPages, CancellationToken cancellationToken)
    {
        if (_token is null)
        {
            throw ErrorCatalogue.SentryTokenMissing(BaseUrl, SettingCatalogue.SentryAuthToken);
        }

        var issues = new List<SentryIssue>();
        string? cursor = null;
        for (var page = 1; ; page++)
        {
            var request = new RestRequest($"api/0/projects/{Uri.EscapeDataString(organisation)}/{Uri.EscapeDataString(project)}/issues/");
            request.AddQueryParameter("query", query);
            if (cursor is not null)
            {
                request.AddQueryParameter("cursor", cursor);
            }

            request.AddHeader("Authorization", "Bearer " + _token.Reveal());
            var response = await _rest.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfFailed(response, organisation, project);
            issues.AddRange(Parse(response));
            cursor = NextCursor(response);
            if (cursor is null)
            {
                return new SentryIssueList(issues, Truncated: false, page);
            }

            if (page >= maxPages)
            {
                return new SentryIssueList(issues, Truncated: true, page);
            }
        }
    }

    private void ThrowIfFailed(RestResponse response, string organisation, string project)
    {
        var status = (int)response.StatusCode;
        if (status == 0)
        {
            var why = response.ResponseStatus == ResponseStatus.TimedOut ? "no answer in time" : "the connection failed";
            throw ErrorCatalogue.SentryUnreachable(BaseUrl, $"it could not be reached ({why})", response.ErrorException);
        }

        switch (status)
        {
            case 401 or 403:
                throw ErrorCatalogue.SentryAuthenticationFailed(BaseUrl, status, organisation);
            case 404:
                throw ErrorCatalogue.SentryProjectNotFound(BaseUrl, organisation, project);
            case < 200 or >= 300:
                throw ErrorCatalogue.SentryUnreachable(BaseUrl, $"it answered HTTP {status} to the issue search for {project}");
        }
    }

    private IEnumerable<SentryIssue> Parse(RestResponse response)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(response.RawBytes ?? []);
        }
        catch (JsonException)
        {
            throw NotSentry("the answer was not JSON");
        }

        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw NotSentry("the answer was not a list of issues");
            }

            return json.RootElement.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object).Select(ParseIssue).ToList();
        }
    }

    private GovukDeployException NotSentry(string why) => ErrorCatalogue.SentryBadAnswer(BaseUrl, why);

    private static SentryIssue ParseIssue(JsonElement issue)
    {
        static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        static DateTimeOffset? Time(JsonElement e, string name) =>
            Text(e, name) is { } t && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

        // Sentry gives count as a string ("count": "150"); take a number too.
        long count = 0;
        if (issue.TryGetProperty("count", out var c))
        {
            count = c.ValueKind == JsonValueKind.Number && c.TryGetInt64(out var n) ? n
                : c.ValueKind == JsonValueKind.String && long.TryParse(c.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        }

        var regressed = string.Equals(Text(issue, "substatus"), "regressed", StringComparison.OrdinalIgnoreCase)
            || (issue.TryGetProperty("isRegression", out var r) && r.ValueKind == JsonValueKind.True);
        var id = Text(issue, "id") ?? (issue.TryGetProperty("id", out var numeric) ? numeric.ToString() : "?");
        var permalink = Text(issue, "permalink");
        return new SentryIssue(
            UntrustedText.Clean(id, 40),
            UntrustedText.Clean(Text(issue, "shortId") ?? id, 60),
            UntrustedText.Clean(Text(issue, "title") ?? "(no title)"),
            (Text(issue, "level") ?? "error").ToLowerInvariant(),
            count,
            Time(issue, "firstSeen"),
            Time(issue, "lastSeen"),
            Uri.TryCreate(permalink, UriKind.Absolute, out var link) && link.Scheme is "http" or "https" ? link.ToString() : null,
            (Text(issue, "status") ?? "unresolved").ToLowerInvariant(),
            regressed);
    }

    /// <summary>The next page's cursor from the Link header, or null when rel="next" says results="false" (or there is none).</summary>
    internal static string? NextCursor(RestResponse response)
    {
        var link = response.Headers?.FirstOrDefault(h => string.Equals(h.Name, "Link", StringComparison.OrdinalIgnoreCase))?.Value?.ToString();
        if (string.IsNullOrEmpty(link))
        {
            return null;
        }

        foreach (Match part in LinkPart().Matches(link))
        {
            var attributes = part.Groups["attributes"].Value;
            if (!Regex.IsMatch(attributes, @"rel=""?next""?", RegexOptions.IgnoreCase))
            {
                continue;
            }

            if (Regex.IsMatch(attributes, @"results=""?false""?", RegexOptions.IgnoreCase))
            {
                return null;
            }

            var cursor = Regex.Match(attributes, @"cursor=""([^""]+)""");
            if (cursor.Success)
            {
                return cursor.Groups[1].Value;
            }

            var url = part.Groups["url"].Value;
            var query = Uri.TryCreate(url, UriKind.Absolute, out var next) ? next.Query : "";
            var fromUrl = Regex.Match(query, @"[?&]cursor=([^&]+)");
            return fromUrl.Success ? Uri.UnescapeDataString(fromUrl.Groups[1].Value) : null;
        }

        return null;
    }

    [GeneratedRegex(@"<(?<url>[^>]*)>(?<attributes>[^<]*)")]
    private static partial Regex LinkPart();

    public void Dispose() => _rest.Dispose();
}
