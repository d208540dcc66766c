using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Sandbox.Icinga;

/// <summary>
/// Icinga 2's API for services, one per environment under /icinga/{environment}/v1/: basic auth; GET with
/// the query in a JSON body, or POST with X-HTTP-Method-Override: GET; a filter evaluated with its
/// filter_vars; attrs to choose the attributes. Like Icinga, a filter that matches nothing answers 404.
/// </summary>
public static class IcingaRoutes
{
    public static void Map(WebApplication app, IcingaStore icinga, SandboxCredentials credentials)
    {
        app.MapMethods("/icinga/{environment}/v1/objects/services", ["GET", "POST"], async (HttpContext ctx, string environment) =>
        {
            if (!icinga.HasEnvironment(environment))
            {
                return Error(404, $"No Icinga for the environment '{environment}' in the sandbox.");
            }

            if (!Authorized(ctx, credentials))
            {
                ctx.Response.Headers.WWWAuthenticate = "Basic realm=\"Icinga 2\"";
                return Error(401, "Unauthorized. Please check your user credentials.");
            }

            var overridden = ctx.Request.Headers["X-HTTP-Method-Override"].ToString();
            if (HttpMethods.IsPost(ctx.Request.Method) && !string.Equals(overridden, "GET", StringComparison.OrdinalIgnoreCase))
            {
                return Error(400, "Invalid request: to query objects use GET, or POST with the header X-HTTP-Method-Override: GET.");
            }

            QueryRequest request;
            try
            {
                request = await ReadRequestAsync(ctx);
            }
            catch (FormatException e)
            {
                return Error(400, "Invalid request body: " + e.Message);
            }

            IcingaFilter? filter = null;
            if (request.Filter is { Length: > 0 } text)
            {
                try
                {
                    filter = IcingaFilter.Parse(text);
                }
                catch (FormatException e)
                {
                    return Error(400, "Invalid filter: " + e.Message);
                }
            }

            var results = new List<object>();
            try
            {
                lock (icinga.Sync)
                {
                    foreach (var service in icinga.Services(environment))
                    {
                        var attributes = IcingaStore.Attributes(service);
                        if (request.ServiceName is { } name && name != service.FullName)
                        {
                            continue;
                        }

                        if (filter is not null && !filter.Matches(Scope(attributes, request.FilterVars)))
                        {
                            continue;
                        }

                        results.Add(new Dictionary<string, object?>
                        {
                            ["attrs"] = request.Attrs.Count == 0 ? attributes.Where(a => a.Key != "__name").ToDictionary() : request.Attrs.ToDictionary(a => a, a => attributes.GetValueOrDefault(a)),
                            ["joins"] = new Dictionary<string, object?>(),
                            ["meta"] = new Dictionary<string, object?>(),
                            ["name"] = service.FullName,
                            ["type"] = "Service",
                        });
                    }
                }
            }
            catch (FormatException e)
            {
                return Error(400, "Invalid filter: " + e.Message);
            }

            return results.Count == 0 ? Error(404, "No objects found.") : Wire.JsonResult(new Dictionary<string, object?> { ["results"] = results });
        });
    }

    private static IResult Error(int status, string message) =>
        Wire.JsonResult(new Dictionary<string, object?> { ["error"] = status, ["status"] = message }, status);

    /// <summary>What a filter can name: the service, its host (by name), and each filter_vars entry.</summary>
    private static Dictionary<string, object?> Scope(Dictionary<string, object?> service, IReadOnlyDictionary<string, object?> filterVars)
    {
        var scope = new Dictionary<string, object?>(filterVars, StringComparer.Ordinal)
        {
            ["service"] = service,
            ["host"] = new Dictionary<string, object?> { ["name"] = service["host_name"] },
        };
        return scope;
    }

    private static bool Authorized(HttpContext ctx, SandboxCredentials credentials)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = Encoding.UTF8.GetBytes($"{credentials.IcingaUser}:{credentials.IcingaPassword}");
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(decoded), expected);
    }

    private sealed record QueryRequest(string? Filter, IReadOnlyDictionary<string, object?> FilterVars, IReadOnlyList<string> Attrs, string? ServiceName);

    /// <summary>The query from the JSON body, else from the query string (filter, attrs, service).</summary>
    private static async Task<QueryRequest> ReadRequestAsync(HttpContext ctx)
    {
        var query = ctx.Request.Query;
        string? filter = query["filter"].ToString() is { Length: > 0 } f ? f : null;
        var attrs = query["attrs"].Where(a => !string.IsNullOrEmpty(a)).Select(a => a!).ToList();
        string? service = query["service"].ToString() is { Length: > 0 } s ? s : null;
        var filterVars = new Dictionary<string, object?>(StringComparer.Ordinal);

        using var body = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(body, ctx.RequestAborted);
        if (body.Length > 0)
        {
            JsonDocument json;
            try
            {
                json = JsonDocument.Parse(body.ToArray());
            }
            catch (JsonException e)
            {
                throw new FormatException("the body is not JSON (" + e.Message + ")");
            }

            using (json)
            {
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException("the body must be a JSON object");
                }

                foreach (var property in json.RootElement.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "filter" when property.Value.ValueKind == JsonValueKind.String:
                            filter = property.Value.GetString();
                            break;
                        case "filter_vars" when property.Value.ValueKind == JsonValueKind.Object:
                            foreach (var variable in property.Value.EnumerateObject())
                            {
                                filterVars[variable.Name] = Value(variable.Value);
                            }

                            break;
                        case "attrs" when property.Value.ValueKind == JsonValueKind.Array:
                            attrs = property.Value.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToList();
                            break;
                        case "service" when property.Value.ValueKind == JsonValueKind.String:
                            service = property.Value.GetString();
                            break;
                        case "filter" or "filter_vars" or "attrs" or "service":
                            throw new FormatException($"'{property.Name}' has the wrong type");
                    }
                }
            }
        }

        return new QueryRequest(filter, filterVars, attrs, service);
    }

    /// <summary>A filter_vars value as the filter sees it: strings, numbers, booleans, null, arrays and dictionaries.</summary>
    private static object? Value(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => element.EnumerateArray().Select(Value).ToList(),
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => Value(p.Value)),
        _ => null,
    };
}
