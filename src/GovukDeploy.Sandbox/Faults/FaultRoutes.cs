using GovukDeploy.Sandbox.Hosting;
using GovukDeploy.Sandbox.Jenkins;

namespace GovukDeploy.Sandbox.Faults;

/// <summary>POST /_sandbox/faults to inject a fault, GET to list them, DELETE (optionally ?service=) to clear.</summary>
public static class FaultRoutes
{
    public static void Map(WebApplication app, FaultBoard faults, JenkinsFarm farm)
    {
        app.MapGet("/_sandbox/faults", () => Wire.JsonResult(faults.List().Select(f => f.ToJson()).ToList()));

        app.MapPost("/_sandbox/faults", async (HttpContext ctx) =>
        {
            FaultRequest? request;
            try
            {
                request = await ctx.Request.ReadFromJsonAsync<FaultRequest>(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web), ctx.RequestAborted);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
            {
                return Wire.JsonResult(new Dictionary<string, object?> { ["error"] = "Send a JSON object such as {\"service\":\"github\",\"kind\":\"errors\",\"count\":3}." }, 400);
            }
            if (request is null)
            {
                return Wire.JsonResult(new Dictionary<string, object?> { ["error"] = "Send a JSON object." }, 400);
            }
            Fault fault;
            try
            {
                fault = faults.Add(request);
            }
            catch (ArgumentException e)
            {
                return Wire.JsonResult(new Dictionary<string, object?> { ["error"] = e.Message }, 400);
            }
            if (fault.Kind == "crumb-expiry")
            {
                // Takes effect at once: every session and crumb issued so far stops working.
                farm.ExpireCrumbs(fault.Environment);
            }
            return Wire.JsonResult(fault.ToJson(), 201);
        });

        app.MapDelete("/_sandbox/faults", (string? service) =>
        {
            var cleared = faults.Clear(service);
            return Wire.JsonResult(new Dictionary<string, object?> { ["cleared"] = cleared });
        });
    }
}
