using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.Faults;

/// <summary>
/// Applies the service-wide faults (latency, 5xx bursts, dropped connections, down) before a
/// request reaches its service; a Jenkins fault with an environment hits that Jenkins only.
/// </summary>
public sealed class FaultMiddleware
{
    private readonly RequestDelegate _next;
    private readonly FaultBoard _faults;

    public FaultMiddleware(RequestDelegate next, FaultBoard faults)
    {
        _next = next;
        _faults = faults;
    }

    public static string? ServiceFor(PathString path)
    {
        if (path.StartsWithSegments("/api/v3"))
        {
            return "github";
        }
        if (path.StartsWithSegments("/jenkins"))
        {
            return "jenkins";
        }
        if (path.StartsWithSegments("/release"))
        {
            return "release";
        }
        if (path.StartsWithSegments("/bank-holidays.json"))
        {
            return "holidays";
        }
        // Sentry answers under /sentry/ and, for sentry-cli, at the root's /api/0/ too.
        if (path.StartsWithSegments("/sentry") || path.StartsWithSegments("/api/0"))
        {
            return "sentry";
        }
        if (path.StartsWithSegments("/icinga"))
        {
            return "icinga";
        }
        return null;
    }

    /// <summary>Which Jenkins (or Icinga) a /jenkins/{environment}/ request is for, so a fault can hit one environment's alone.</summary>
    public static string? EnvironmentFor(PathString path)
    {
        if ((!path.StartsWithSegments("/jenkins", out var rest) && !path.StartsWithSegments("/icinga", out rest)) || !rest.HasValue)
        {
            return null;
        }
        var environment = rest.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return string.IsNullOrEmpty(environment) ? null : environment;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var service = ServiceFor(context.Request.Path);
        if (service is null)
        {
            await _next(context);
            return;
        }
        var environment = EnvironmentFor(context.Request.Path);

        if (_faults.Take(service, "latency", environment) is { Milliseconds: { } ms })
        {
            await Task.Delay(ms, context.RequestAborted);
        }

        if (_faults.Take(service, "drop", environment) is not null)
        {
            // The client sees the connection reset with no response at all.
            context.Abort();
            return;
        }

        if (_faults.Take(service, "down", environment) is { } down)
        {
            await WriteError(context, service, down.Status ?? 503, "The service is down for maintenance (sandbox fault).");
            return;
        }

        if (_faults.Take(service, "errors", environment) is { } errors)
        {
            await WriteError(context, service, errors.Status ?? 503, "The server had an error (sandbox fault).");
            return;
        }

        await _next(context);
    }

    private static Task WriteError(HttpContext context, string service, int status, string message)
    {
        context.Response.StatusCode = status;
        if (service == "github")
        {
            return context.Response.WriteAsJsonAsync(
                new Dictionary<string, object?> { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest" },
                Wire.Json);
        }
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync($"<html><body><h1>{status}</h1><p>{message}</p></body></html>");
    }
}
