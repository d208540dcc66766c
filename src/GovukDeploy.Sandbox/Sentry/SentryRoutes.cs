using System.Security.Cryptography;
using System.Text;
using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.Sentry;

/// <summary>
/// Sentry's REST API (/api/0/), with a bearer token: the organisation, its projects, and a project's issues
/// (or the organisation's) with a search query and cursor pagination. Served under /sentry/ and also at the
/// root, because sentry-cli insists on a Sentry at the root of its address.
/// </summary>
public static class SentryRoutes
{
    public static readonly string[] Prefixes = ["/sentry", ""];

    public static void Map(WebApplication app, SentryStore sentry, SandboxCredentials credentials, TimeProvider clock)
    {
        foreach (var prefix in Prefixes)
        {
            var web = prefix + "/";
            var api = app.MapGroup(prefix + "/api/0");
            api.AddEndpointFilter(async (context, next) =>
                Authorize(context.HttpContext, credentials) ?? await next(context));

            api.MapGet("/", () => Wire.JsonResult(new Dictionary<string, object?>
            {
                ["version"] = "0",
                ["auth"] = new Dictionary<string, object?> { ["scopes"] = new[] { "org:read", "project:read", "event:read" } },
                ["user"] = new Dictionary<string, object?> { ["id"] = "1", ["username"] = credentials.SentryUser, ["name"] = "Sandbox Developer", ["email"] = credentials.SentryUser + "@sandbox.invalid" },
            }));

            api.MapGet("/organizations/", () => Wire.JsonResult(new[] { SentryJson.Organisation() }));

            api.MapGet("/organizations/{org}/", (string org) =>
                SentryStore.IsOrganisation(org) ? Wire.JsonResult(SentryJson.Organisation()) : NotFound());

            api.MapGet("/organizations/{org}/projects/", (HttpContext ctx, string org) =>
                !SentryStore.IsOrganisation(org) ? NotFound() : Paged(ctx, sentry.Projects(), SentryJson.Project));

            api.MapGet("/projects/{org}/{project}/", (string org, string project) =>
                SentryStore.IsOrganisation(org) && sentry.FindProject(project) is { } found ? Wire.JsonResult(SentryJson.Project(found)) : NotFound());

            api.MapGet("/projects/{org}/{project}/issues/", (HttpContext ctx, string org, string project) =>
            {
                if (!SentryStore.IsOrganisation(org) || sentry.FindProject(project) is not { } found)
                {
                    return NotFound();
                }

                return Issues(ctx, sentry, [found], web, clock, defaultQuery: "is:unresolved");
            });

            api.MapGet("/organizations/{org}/issues/", (HttpContext ctx, string org) =>
            {
                if (!SentryStore.IsOrganisation(org))
                {
                    return NotFound();
                }

                var wanted = ctx.Request.Query["project"].Where(p => !string.IsNullOrEmpty(p)).ToList();
                var projects = wanted.Count == 0 || wanted.Contains("-1")
                    ? sentry.Projects().ToList()
                    : wanted.Select(p => sentry.FindProject(p!)).ToList()!;
                if (projects.Any(p => p is null))
                {
                    return Wire.JsonResult(new Dictionary<string, object?> { ["detail"] = "You do not have permission to perform this action." }, 403);
                }

                return Issues(ctx, sentry, projects!, web, clock, defaultQuery: "is:unresolved");
            });

            api.MapFallback(() => NotFound());

            // Where permalinks point: a page a person can open.
            app.MapGet(prefix + "/organizations/{org}/issues/{id}/", (string org, string id) => Results.Content(
                $"<html><body><h1>Sentry issue {System.Net.WebUtility.HtmlEncode(id)}</h1><p>The sandbox's Sentry ({System.Net.WebUtility.HtmlEncode(org)}).</p></body></html>",
                "text/html; charset=utf-8"));
        }
    }

    private static IResult Issues(HttpContext ctx, SentryStore sentry, IReadOnlyList<SentryProject> projects, string webPrefix, TimeProvider clock, string defaultQuery)
    {
        var now = clock.GetUtcNow();
        SentryQuery query;
        try
        {
            // Like Sentry, no query means unresolved issues; an empty one means every issue.
            query = SentryQuery.Parse(ctx.Request.Query.ContainsKey("query") ? ctx.Request.Query["query"].ToString() : defaultQuery, now);
        }
        catch (FormatException e)
        {
            return Wire.JsonResult(new Dictionary<string, object?> { ["detail"] = e.Message }, 400);
        }

        List<SentryIssue> matching;
        lock (sentry.Sync)
        {
            var all = projects.SelectMany(p => p.Issues).Where(query.Matches);
            matching = (ctx.Request.Query["sort"].ToString() switch
            {
                "new" => all.OrderByDescending(i => i.FirstSeen),
                "freq" => all.OrderByDescending(i => i.Count),
                "user" => all.OrderByDescending(i => i.UserCount),
                _ => all.OrderByDescending(i => i.LastSeen),
            }).ThenByDescending(i => i.Id).ToList();
        }

        var webRoot = $"{ctx.Request.Scheme}://{ctx.Request.Host}{webPrefix}";
        try
        {
            var page = SentryPagination.Page(ctx, matching);
            lock (sentry.Sync)
            {
                return Wire.JsonResult(page.Select(i => SentryJson.Issue(i, webRoot, now)).ToList());
            }
        }
        catch (FormatException e)
        {
            return Wire.JsonResult(new Dictionary<string, object?> { ["detail"] = e.Message }, 400);
        }
    }

    private static IResult Paged<T>(HttpContext ctx, IReadOnlyList<T> items, Func<T, object> json)
    {
        try
        {
            return Wire.JsonResult(SentryPagination.Page(ctx, items).Select(json).ToList());
        }
        catch (FormatException e)
        {
            return Wire.JsonResult(new Dictionary<string, object?> { ["detail"] = e.Message }, 400);
        }
    }

    private static IResult NotFound() =>
        Wire.JsonResult(new Dictionary<string, object?> { ["detail"] = "The requested resource does not exist" }, 404);

    /// <summary>Sentry's auth token, as "Authorization: Bearer TOKEN"; null when it is right.</summary>
    private static IResult? Authorize(HttpContext ctx, SandboxCredentials credentials)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Wire.JsonResult(new Dictionary<string, object?> { ["detail"] = "Authentication credentials were not provided." }, 401);
        }

        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        var expected = Encoding.UTF8.GetBytes(credentials.SentryToken);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), expected))
        {
            return Wire.JsonResult(new Dictionary<string, object?> { ["detail"] = "Invalid token" }, 401);
        }

        return null;
    }
}
