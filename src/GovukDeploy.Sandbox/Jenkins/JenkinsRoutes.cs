using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.Jenkins;

/// <summary>
/// The Jenkins remote API under /jenkins/{environment}/. Jobs may be nested in folders
/// (/job/a/job/b/), so paths are taken apart by hand rather than by route templates.
/// </summary>
public static class JenkinsRoutes
{
    private const string JenkinsVersion = "2.426.3";

    public static void Map(WebApplication app, JenkinsFarm farm, SandboxCredentials credentials)
    {
        app.MapMethods("/jenkins/{environment}/{**rest}", ["GET", "HEAD", "POST"],
            (HttpContext ctx, string environment, string? rest) => Handle(ctx, farm, credentials, environment, rest ?? ""));
    }

    private static async Task Handle(HttpContext ctx, JenkinsFarm farm, SandboxCredentials credentials, string environment, string rest)
    {
        var jenkins = farm.Find(environment);
        if (jenkins is null)
        {
            await Text(ctx, 404, $"There is no Jenkins for '{environment}'. Known: {string.Join(", ", farm.All.Select(j => j.Environment))}.");
            return;
        }

        ctx.Response.Headers.Server = "Jetty(10.0.18)";
        ctx.Response.Headers["X-Jenkins"] = JenkinsVersion;
        ctx.Response.Headers["X-Hudson"] = "1.395";
        ctx.Response.Headers["X-Jenkins-Session"] = jenkins.Crumbs.CookieName[^8..];

        var auth = Authenticate(ctx.Request, credentials);
        if (auth == AuthOutcome.Bad)
        {
            ctx.Response.Headers.WWWAuthenticate = "Basic realm=\"Jenkins\"";
            await Text(ctx, 401, "Invalid password/token for user: " + BasicUser(ctx.Request));
            return;
        }
        var user = auth == AuthOutcome.ApiToken ? credentials.JenkinsUser : null;

        var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var isPost = HttpMethods.IsPost(ctx.Request.Method);
        var form = isPost && ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync(ctx.RequestAborted) : null;

        if (isPost && auth != AuthOutcome.ApiToken && !CrumbIsValid(ctx, jenkins, form))
        {
            await Text(ctx, 403, "No valid crumb was included in the request");
            return;
        }

        if (segments.Length == 0 || Is(segments, "api", "json"))
        {
            await Json(ctx, jenkins, _ => JenkinsJson.Root(jenkins));
            return;
        }

        if (Is(segments, "crumbIssuer", "api", "json"))
        {
            var existing = ctx.Request.Cookies[jenkins.Crumbs.CookieName];
            var (session, crumb, isNew) = jenkins.Crumbs.Issue(existing);
            if (isNew)
            {
                ctx.Response.Cookies.Append(jenkins.Crumbs.CookieName, session, new CookieOptions
                {
                    Path = new Uri(jenkins.RootUrl).AbsolutePath,
                    HttpOnly = true,
                });
            }
            await Json(ctx, new Dictionary<string, object?>
            {
                ["_class"] = "hudson.security.csrf.DefaultCrumbIssuer",
                ["crumb"] = crumb,
                ["crumbRequestField"] = JenkinsCrumbs.FieldName,
            });
            return;
        }

        if (Is(segments, "me", "api", "json") || Is(segments, "whoAmI", "api", "json"))
        {
            if (user is null && segments[0] == "me")
            {
                await Text(ctx, 403, "anonymous is missing the Overall/Read permission");
                return;
            }
            await Json(ctx, segments[0] == "me"
                ? new Dictionary<string, object?>
                {
                    ["_class"] = "hudson.model.User",
                    ["absoluteUrl"] = $"{jenkins.RootUrl}user/{user}",
                    ["description"] = null,
                    ["fullName"] = user,
                    ["id"] = user,
                    ["property"] = Array.Empty<object>(),
                }
                : new Dictionary<string, object?>
                {
                    ["_class"] = "hudson.security.WhoAmI",
                    ["anonymous"] = user is null,
                    ["authenticated"] = user is not null,
                    ["authorities"] = user is null ? new[] { "anonymous" } : new[] { "authenticated" },
                    ["name"] = user ?? "anonymous",
                });
            return;
        }

        if (segments[0] == "queue")
        {
            await HandleQueue(ctx, jenkins, segments, isPost, form);
            return;
        }

        if (segments[0] != "job")
        {
            await Text(ctx, 404, "Not Found");
            return;
        }

        // Consume job/NAME pairs to find the (possibly nested) job.
        var names = new List<string>();
        var i = 0;
        while (i + 1 < segments.Length && segments[i] == "job")
        {
            names.Add(segments[i + 1]);
            i += 2;
        }
        var job = jenkins.FindJob(string.Join('/', names));
        if (job is null || names.Count == 0)
        {
            await Text(ctx, 404, "Not Found");
            return;
        }
        var tail = segments[i..];

        if (tail.Length == 0)
        {
            await Html(ctx, $"{job.FullName} - Jenkins", $"Job {job.FullName}. See {jenkins.JobUrl(job)}api/json");
            return;
        }

        if (Is(tail, "api", "json"))
        {
            await Json(ctx, jenkins, tree => JenkinsJson.Job(jenkins, job, tree));
            return;
        }

        if (isPost && tail.Length == 1 && tail[0] is "buildWithParameters" or "build")
        {
            if (job.IsContainer || job.Script is null)
            {
                await Text(ctx, 405, $"{job.FullName} is a folder; it cannot be built.");
                return;
            }
            var supplied = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in ctx.Request.Query)
            {
                supplied[key] = value.ToString();
            }
            if (form is not null)
            {
                foreach (var (key, value) in form)
                {
                    supplied[key] = value.ToString();
                }
                // The classic form post to /build: json={"parameter":[{"name":"TAG","value":"release_1"}]}
                if (form.TryGetValue("json", out var json))
                {
                    foreach (var (key, value) in ParametersFromJson(json.ToString()))
                    {
                        supplied[key] = value;
                    }
                }
            }
            var item = jenkins.Schedule(job, supplied, BuildCause.User(user));
            ctx.Response.StatusCode = 201;
            ctx.Response.Headers.Location = jenkins.QueueUrl(item);
            return;
        }

        var build = FindBuild(jenkins, job, tail[0]);
        if (build is null)
        {
            await Text(ctx, 404, "Not Found");
            return;
        }
        var action = tail[1..];

        if (action.Length == 0)
        {
            await Html(ctx, $"{job.FullName} #{build.Number} - Jenkins", $"Build #{build.Number}: {build.Result ?? "in progress"}");
        }
        else if (Is(action, "api", "json"))
        {
            await Json(ctx, jenkins, _ => JenkinsJson.Build(jenkins, build));
        }
        else if (Is(action, "logText", "progressiveText"))
        {
            await ProgressiveText(ctx, jenkins, build, form);
        }
        else if (Is(action, "consoleText"))
        {
            var log = Locked(jenkins, () => build.Log);
            await Text(ctx, 200, log);
        }
        else if (isPost && Is(action, "stop"))
        {
            jenkins.StopBuild(build, user);
            ctx.Response.StatusCode = 302;
            ctx.Response.Headers.Location = jenkins.BuildUrl(build);
        }
        else
        {
            await Text(ctx, 404, "Not Found");
        }
    }

    private static async Task HandleQueue(HttpContext ctx, JenkinsInstance jenkins, string[] segments, bool isPost, IFormCollection? form)
    {
        if (segments.Length >= 3 && segments[1] == "item" && long.TryParse(segments[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            var item = jenkins.FindQueueItem(id);
            if (item is null)
            {
                await Text(ctx, 404, "Not Found");
                return;
            }
            if (Is(segments[3..], "api", "json"))
            {
                await Json(ctx, jenkins, _ => JenkinsJson.QueueItem(jenkins, item));
                return;
            }
            if (isPost && Is(segments[3..], "cancelQueue"))
            {
                await Cancel(ctx, jenkins, id);
                return;
            }
        }
        else if (isPost && Is(segments[1..], "cancelItem"))
        {
            var text = ctx.Request.Query["id"].ToString();
            if (string.IsNullOrEmpty(text) && form is not null)
            {
                text = form["id"].ToString();
            }
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var cancelId))
            {
                await Cancel(ctx, jenkins, cancelId);
                return;
            }
        }
        else if (Is(segments[1..], "api", "json"))
        {
            await Json(ctx, new Dictionary<string, object?> { ["_class"] = "hudson.model.Queue", ["discoverableItems"] = Array.Empty<object>(), ["items"] = Array.Empty<object>() });
            return;
        }
        await Text(ctx, 404, "Not Found");
    }

    private static Task Cancel(HttpContext ctx, JenkinsInstance jenkins, long id) => jenkins.CancelQueueItem(id) switch
    {
        true => Status(ctx, 204),
        false => Text(ctx, 422, $"Item for id ({id}) is not cancellable"),
        null => Text(ctx, 404, $"Provided id ({id}) not found"),
    };

    private static async Task ProgressiveText(HttpContext ctx, JenkinsInstance jenkins, JenkinsBuild build, IFormCollection? form)
    {
        var (log, building) = Locked(jenkins, () => (build.Log, build.Building));
        var bytes = Encoding.UTF8.GetBytes(log);
        long.TryParse(RequestParameter(ctx, form, "start"), NumberStyles.None, CultureInfo.InvariantCulture, out var start);
        start = Math.Clamp(start, 0, bytes.Length);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain;charset=UTF-8";
        ctx.Response.Headers["X-Text-Size"] = bytes.Length.ToString(CultureInfo.InvariantCulture);
        if (building)
        {
            ctx.Response.Headers["X-More-Data"] = "true";
        }
        await ctx.Response.Body.WriteAsync(bytes.AsMemory((int)start), ctx.RequestAborted);
    }

    /// <summary>
    /// A request parameter as Jenkins (a servlet) reads it: from the query string, else from a POST's
    /// form body, which is how some clients (the npm jenkins package) send progressiveText's start.
    /// </summary>
    private static string? RequestParameter(HttpContext ctx, IFormCollection? form, string name)
    {
        var fromQuery = ctx.Request.Query[name];
        if (fromQuery.Count > 0)
        {
            return fromQuery.ToString();
        }
        return form is not null && form.TryGetValue(name, out var fromForm) ? fromForm.ToString() : null;
    }

    private static IEnumerable<KeyValuePair<string, string>> ParametersFromJson(string json)
    {
        System.Text.Json.JsonElement root;
        try
        {
            root = System.Text.Json.JsonDocument.Parse(json).RootElement;
        }
        catch (System.Text.Json.JsonException)
        {
            yield break;
        }
        if (root.ValueKind != System.Text.Json.JsonValueKind.Object || !root.TryGetProperty("parameter", out var parameters))
        {
            yield break;
        }
        var list = parameters.ValueKind == System.Text.Json.JsonValueKind.Array ? parameters.EnumerateArray().ToList() : [parameters];
        foreach (var p in list)
        {
            if (p.ValueKind == System.Text.Json.JsonValueKind.Object && p.TryGetProperty("name", out var n) && p.TryGetProperty("value", out var v))
            {
                yield return new(n.ToString(), v.ToString());
            }
        }
    }

    private static JenkinsBuild? FindBuild(JenkinsInstance jenkins, JenkinsJob job, string selector)
    {
        lock (jenkins.Sync)
        {
            var builds = job.Builds;
            return selector switch
            {
                "lastBuild" => builds.FirstOrDefault(),
                "lastCompletedBuild" => builds.FirstOrDefault(b => !b.Building),
                "lastSuccessfulBuild" or "lastStableBuild" => builds.FirstOrDefault(b => b.Result == "SUCCESS"),
                "lastFailedBuild" => builds.FirstOrDefault(b => b.Result == "FAILURE"),
                "lastUnsuccessfulBuild" => builds.FirstOrDefault(b => b.Result is not null and not "SUCCESS"),
                _ when int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => builds.FirstOrDefault(b => b.Number == n),
                _ => null,
            };
        }
    }

    private static bool CrumbIsValid(HttpContext ctx, JenkinsInstance jenkins, IFormCollection? form)
    {
        var crumb = ctx.Request.Headers[JenkinsCrumbs.FieldName].ToString();
        if (string.IsNullOrEmpty(crumb) && form is not null)
        {
            crumb = form[JenkinsCrumbs.FieldName].ToString();
        }
        var session = ctx.Request.Cookies[jenkins.Crumbs.CookieName];
        return jenkins.Crumbs.IsValid(session, crumb);
    }

    private enum AuthOutcome { Anonymous, ApiToken, Bad }

    private static AuthOutcome Authenticate(HttpRequest request, SandboxCredentials credentials)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthOutcome.Anonymous;
        }
        if (!AuthenticationHeaderValue.TryParse(header, out var parsed) || !parsed.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || parsed.Parameter is null)
        {
            return AuthOutcome.Bad;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parsed.Parameter));
        }
        catch (FormatException)
        {
            return AuthOutcome.Bad;
        }
        var colon = decoded.IndexOf(':');
        if (colon < 0)
        {
            return AuthOutcome.Bad;
        }
        var userOk = decoded[..colon] == credentials.JenkinsUser;
        var tokenOk = CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(decoded[(colon + 1)..]), Encoding.UTF8.GetBytes(credentials.JenkinsApiToken));
        return userOk && tokenOk ? AuthOutcome.ApiToken : AuthOutcome.Bad;
    }

    private static string BasicUser(HttpRequest request)
    {
        try
        {
            var header = AuthenticationHeaderValue.Parse(request.Headers.Authorization.ToString());
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter ?? ""));
            return decoded.Split(':')[0];
        }
        catch (Exception)
        {
            return "";
        }
    }

    private static bool Is(string[] segments, params string[] expected) => segments.SequenceEqual(expected, StringComparer.Ordinal);

    private static T Locked<T>(JenkinsInstance jenkins, Func<T> read)
    {
        lock (jenkins.Sync)
        {
            return read();
        }
    }

    private static Task Json(HttpContext ctx, object body) => Json(ctx, null, _ => body);

    /// <summary>
    /// Renders a body (told whether a ?tree= was given) and filters it, both under the instance's
    /// lock: bodies for a tree may hold lazy lists of live builds.
    /// </summary>
    private static Task Json(HttpContext ctx, JenkinsInstance? jenkins, Func<bool, object> render)
    {
        var tree = ctx.Request.Query["tree"].ToString();
        var specs = string.IsNullOrWhiteSpace(tree) ? null : JenkinsTree.Parse(tree);
        object? Render()
        {
            var body = render(specs is not null);
            return specs is null ? body : JenkinsTree.Apply(body, specs);
        }
        var body = jenkins is null ? Render() : Locked(jenkins, Render);
        ctx.Response.StatusCode = 200;
        return ctx.Response.WriteAsJsonAsync(body, Wire.Json, "application/json;charset=utf-8");
    }

    private static Task Text(HttpContext ctx, int status, string text)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/plain;charset=utf-8";
        return ctx.Response.WriteAsync(text);
    }

    private static Task Html(HttpContext ctx, string title, string text)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/html;charset=utf-8";
        var encoder = System.Text.Encodings.Web.HtmlEncoder.Default;
        return ctx.Response.WriteAsync($"<!DOCTYPE html><html><head><title>{encoder.Encode(title)}</title></head><body><p>{encoder.Encode(text)}</p></body></html>");
    }

    private static Task Status(HttpContext ctx, int status)
    {
        ctx.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
