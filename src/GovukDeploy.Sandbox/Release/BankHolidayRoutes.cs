namespace GovukDeploy.Sandbox.Release;

/// <summary>GOV.UK's bank-holidays.json feed, served verbatim from the file given with --holidays.</summary>
public static class BankHolidayRoutes
{
    public static void Map(WebApplication app, string? holidaysPath)
    {
        app.MapGet("/bank-holidays.json", async (HttpContext ctx) =>
        {
            if (holidaysPath is null)
            {
                ctx.Response.StatusCode = 404;
                await ctx.Response.WriteAsJsonAsync(new Dictionary<string, object?>
                {
                    ["error"] = "No bank-holiday file was given: start the sandbox with --holidays <bank-holidays.json> to serve one.",
                });
                return;
            }
            if (!File.Exists(holidaysPath))
            {
                ctx.Response.StatusCode = 404;
                await ctx.Response.WriteAsJsonAsync(new Dictionary<string, object?> { ["error"] = $"The bank-holiday file '{holidaysPath}' no longer exists." });
                return;
            }
            ctx.Response.ContentType = "application/json; charset=utf-8";
            ctx.Response.Headers.CacheControl = "max-age=3600, public";
            await ctx.Response.SendFileAsync(holidaysPath, ctx.RequestAborted);
        });
    }
}
