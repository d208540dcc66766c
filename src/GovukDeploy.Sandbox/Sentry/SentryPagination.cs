using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace GovukDeploy.Sandbox.Sentry;

/// <summary>
/// Sentry's cursor pagination: a cursor "value:offset:is_prev" in the query string, and a Link header that
/// always names both a previous and a next page, each with results="true" or "false" (whether that page has
/// anything) and its cursor. A client stops at results="false", not at a missing link.
/// </summary>
public static class SentryPagination
{
    public const int DefaultLimit = 100;

    /// <summary>One page of <paramref name="items"/>; FormatException for a cursor that is not Sentry's shape.</summary>
    public static List<T> Page<T>(HttpContext context, IReadOnlyList<T> items)
    {
        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 100) : DefaultLimit;
        var offset = 0;
        if (query["cursor"].ToString() is { Length: > 0 } cursor)
        {
            var parts = cursor.Split(':');
            if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out offset) || parts[2] is not ("0" or "1"))
            {
                throw new FormatException("Invalid cursor parameter.");
            }
        }

        var previous = Math.Max(0, offset - limit);
        var next = offset + limit;
        context.Response.Headers.Link =
            $"<{PageUrl(context, $"0:{previous}:1")}>; rel=\"previous\"; results=\"{Bool(offset > 0)}\"; cursor=\"0:{previous}:1\", " +
            $"<{PageUrl(context, $"0:{next}:0")}>; rel=\"next\"; results=\"{Bool(next < items.Count)}\"; cursor=\"0:{next}:0\"";
        context.Response.Headers["X-Hits"] = items.Count.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-Max-Hits"] = "1000";
        return items.Skip(offset).Take(limit).ToList();
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string PageUrl(HttpContext context, string cursor)
    {
        var request = context.Request;
        var parameters = request.Query.Where(p => p.Key != "cursor").ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        parameters["cursor"] = cursor;
        return QueryHelpers.AddQueryString($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}", parameters);
    }
}
