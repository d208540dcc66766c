using System.Security.Cryptography;
using System.Text;
using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.Release;

/// <summary>The Release app's API under /release/: application status and deployment records, with bearer-token auth.</summary>
public static class ReleaseRoutes
{
    public static void Map(WebApplication app, ReleaseApp release, SandboxCredentials credentials, TimeProvider clock)
    {
        var group = app.MapGroup("/release");

        group.MapGet("/applications/{shortname}.json", (HttpContext ctx, string shortname) =>
        {
            if (Authorize(ctx, credentials, required: false) is { } denied)
            {
                return denied;
            }
            var application = release.Find(shortname);
            if (application is null)
            {
                return Wire.JsonResult(new Dictionary<string, object?> { ["error"] = $"Couldn't find application '{shortname}'" }, 404);
            }
            lock (release.Sync)
            {
                return Wire.JsonResult(Json(application));
            }
        });

        group.MapGet("/applications.json", (HttpContext ctx) =>
        {
            if (Authorize(ctx, credentials, required: false) is { } denied)
            {
                return denied;
            }
            lock (release.Sync)
            {
                return Wire.JsonResult(release.All().Select(Json).ToList());
            }
        });

        group.MapPost("/deployments", async (HttpContext ctx) =>
        {
            if (Authorize(ctx, credentials, required: true) is { } denied)
            {
                return denied;
            }
            if (!ctx.Request.HasFormContentType)
            {
                return Wire.JsonResult(new Dictionary<string, object?> { ["error"] = "Send form fields repo, deployment[version] and deployment[environment]." }, 400);
            }
            var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
            var repo = form["repo"].ToString();
            var version = form["deployment[version]"].ToString();
            var environment = form["deployment[environment]"].ToString();
            var missing = new[] { ("repo", repo), ("deployment[version]", version), ("deployment[environment]", environment) }
                .Where(f => string.IsNullOrWhiteSpace(f.Item2)).Select(f => f.Item1).ToList();
            if (missing.Count > 0)
            {
                return Wire.JsonResult(new Dictionary<string, object?> { ["error"] = "Missing form fields: " + string.Join(", ", missing) }, 422);
            }
            var recorded = release.Record(repo, version, environment, clock.GetUtcNow(), "api");
            return Wire.JsonResult(DeploymentJson(recorded), 201);
        });
    }

    public static object Json(ReleaseApplication a) => new Dictionary<string, object?>
    {
        ["id"] = a.Id,
        ["name"] = a.Name,
        ["shortname"] = a.Shortname,
        ["repo"] = a.Repo,
        ["repository_url"] = a.RepositoryUrl,
        ["repository_default_branch"] = a.DefaultBranch,
        ["deploy_freeze"] = a.DeployFreeze,
        ["notes"] = a.Notes,
        ["continuously_deployed"] = a.ContinuouslyDeployed,
        ["archived"] = false,
    };

    public static object DeploymentJson(RecordedDeployment d) => new Dictionary<string, object?>
    {
        ["id"] = d.Id,
        ["repo"] = d.Repo,
        ["version"] = d.Version,
        ["environment"] = d.Environment,
        ["created_at"] = Wire.Iso(d.CreatedAt),
        ["source"] = d.Source,
    };

    /// <summary>Null when the request may go on; a 401 when the token is missing (and required) or wrong.</summary>
    private static IResult? Authorize(HttpContext ctx, SandboxCredentials credentials, bool required)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return required ? Unauthorized(ctx, "Bearer token required") : null;
        }
        const string prefix = "Bearer ";
        var ok = header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) &&
                 CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[prefix.Length..].Trim()), Encoding.UTF8.GetBytes(credentials.ReleaseAppToken));
        return ok ? null : Unauthorized(ctx, "Bearer token is not valid");
    }

    private static IResult Unauthorized(HttpContext ctx, string message)
    {
        ctx.Response.Headers.WWWAuthenticate = "Bearer realm=\"Release\"";
        return Wire.JsonResult(new Dictionary<string, object?> { ["error"] = message }, 401);
    }
}
