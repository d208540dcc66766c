using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace GovukDeploy.Sandbox.GitHub;

/// <summary>GitHub's page/per_page pagination with an RFC 8288 Link header.</summary>
public static class Pagination
{
    public const int DefaultPerPage = 30;
    public const int MaxPerPage = 100;

    public static List<T> Page<T>(HttpContext context, IReadOnlyList<T> items, int defaultPerPage = DefaultPerPage)
    {
        var query = context.Request.Query;
        var perPage = ReadInt(query["per_page"], defaultPerPage);
        perPage = Math.Clamp(perPage, 1, MaxPerPage);
        var page = Math.Max(1, ReadInt(query["page"], 1));
        var last = Math.Max(1, (items.Count + perPage - 1) / perPage);

        var links = new List<string>();
        if (page < last)
        {
            links.Add($"<{PageUrl(context, page + 1, perPage)}>; rel=\"next\"");
            links.Add($"<{PageUrl(context, last, perPage)}>; rel=\"last\"");
        }
        if (page > 1)
        {
            links.Add($"<{PageUrl(context, Math.Min(page - 1, last), perPage)}>; rel=\"prev\"");
            links.Add($"<{PageUrl(context, 1, perPage)}>; rel=\"first\"");
        }
        if (links.Count > 0)
        {
            context.Response.Headers.Link = string.Join(", ", links);
        }

        return items.Skip((page - 1) * perPage).Take(perPage).ToList();
    }

    public static bool Requested(HttpContext context) =>
        context.Request.Query.ContainsKey("page") || context.Request.Query.ContainsKey("per_page");

    private static int ReadInt(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : fallback;

    private static string PageUrl(HttpContext context, int page, int perPage)
    {
        var request = context.Request;
        var parameters = request.Query
            .Where(p => p.Key is not ("page" or "per_page"))
            .ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        parameters["per_page"] = perPage.ToString(CultureInfo.InvariantCulture);
        parameters["page"] = page.ToString(CultureInfo.InvariantCulture);
        var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}";
        return QueryHelpers.AddQueryString(baseUrl, parameters);
    }
}
