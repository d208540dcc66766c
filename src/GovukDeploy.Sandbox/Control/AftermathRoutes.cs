using System.Text.Json;
using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.Control;

/// <summary>
/// /_sandbox/after-deploy: scripts what the next deploy of an application to an environment brings (a new
/// Sentry error, a regressed one, an Icinga alert, a failing smoke test); /_sandbox/health-now applies such
/// an effect at once. Never affected by faults.
/// </summary>
public static class AftermathRoutes
{
    public static readonly string[] Endpoints =
    [
        "GET|POST|DELETE /_sandbox/after-deploy {application, environment, effect, title}",
        "POST /_sandbox/health-now {application, environment, effect, title}",
    ];

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static void Map(WebApplication app, DeployAftermath aftermath, TimeProvider clock)
    {
        app.MapGet("/_sandbox/after-deploy", () => Wire.JsonResult(new Dictionary<string, object?>
        {
            ["pending"] = aftermath.Pending().Select(e => e.ToJson()).ToList(),
            ["effects"] = DeployAftermath.Effects,
        }));

        app.MapPost("/_sandbox/after-deploy", async (HttpContext ctx) =>
        {
            var body = await ReadAsync(ctx);
            try
            {
                return Wire.JsonResult(aftermath.Script(body?.Application, body?.Environment, body?.Effect, body?.Title).ToJson(), 201);
            }
            catch (ArgumentException e)
            {
                return Wire.JsonResult(new Dictionary<string, object?> { ["error"] = e.Message }, 400);
            }
        });

        app.MapDelete("/_sandbox/after-deploy", () => Wire.JsonResult(new Dictionary<string, object?> { ["cleared"] = aftermath.Clear() }));

        app.MapPost("/_sandbox/health-now", async (HttpContext ctx) =>
        {
            var body = await ReadAsync(ctx);
            var now = clock.GetUtcNow();
            try
            {
                aftermath.ApplyNow(body?.Application, body?.Environment, body?.Effect, body?.Title, now, now);
                return Wire.JsonResult(new Dictionary<string, object?> { ["applied"] = body!.Effect, ["at"] = Wire.Iso(now) }, 201);
            }
            catch (ArgumentException e)
            {
                return Wire.JsonResult(new Dictionary<string, object?> { ["error"] = e.Message }, 400);
            }
        });
    }

    private static async Task<EffectRequest?> ReadAsync(HttpContext ctx)
    {
        try
        {
            return await ctx.Request.ReadFromJsonAsync<EffectRequest>(Web, ctx.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private sealed class EffectRequest
    {
        public string? Application { get; set; }
        public string? Environment { get; set; }
        public string? Effect { get; set; }
        public string? Title { get; set; }
    }
}
