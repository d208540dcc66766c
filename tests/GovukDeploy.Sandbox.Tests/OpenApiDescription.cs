using System.Text.Json.Nodes;
using Json.Schema;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>
/// GitHub's published REST description (OpenAPI 3.0), turned into JSON Schema 2020-12 one response at a
/// time so that a JSON Schema validator can check the sandbox's answers against it: components become
/// $defs, OpenAPI's "nullable" becomes a null type, and only formats with a fixed meaning (date-time,
/// date, uri, email) are checked ("uri-template" and "int64" are not formats a validator knows).
/// </summary>
internal sealed class OpenApiDescription
{
    public const string PathVariable = "GOVUK_DEPLOY_GITHUB_OPENAPI";

    private static readonly HashSet<string> CheckedFormats = ["date-time", "date", "uri", "email"];

    /// <summary>
    /// Where GitHub's answers differ from its own description, and the sandbox follows the answers:
    /// a deployment status made without these URLs carries "" for each, which is not a "uri".
    /// </summary>
    private static readonly Dictionary<string, string[]> MayBeEmpty = new(StringComparer.Ordinal)
    {
        ["deployment-status"] = ["target_url", "environment_url", "log_url"],
    };
    private const string ComponentPrefix = "#/components/schemas/";

    private readonly JsonObject _paths;
    private readonly JsonObject _schemas;
    private readonly JsonObject _responses;

    private OpenApiDescription(JsonObject document)
    {
        _paths = document["paths"]!.AsObject();
        var components = document["components"]!.AsObject();
        _schemas = components["schemas"]!.AsObject();
        _responses = components["responses"]?.AsObject() ?? [];
    }

    /// <summary>Where the description is: set by build.ps1 Test after it installs the npm package; null when not set.</summary>
    public static string? PathFromEnvironment =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? path : null;

    public static OpenApiDescription Load(string path)
    {
        using var stream = File.OpenRead(path);
        return new OpenApiDescription(JsonNode.Parse(stream)!.AsObject());
    }

    /// <summary>The JSON Schema of an operation's JSON answer with that status, or null when the description has none.</summary>
    public JsonSchema? ResponseSchema(string method, string path, int status)
    {
        var response = _paths[path]?[method.ToLowerInvariant()]?["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (response?["$ref"]?.GetValue<string>() is { } reference)
        {
            response = _responses[reference[(reference.LastIndexOf('/') + 1)..]];
        }
        if (response?["content"]?["application/json"]?["schema"] is not JsonObject schema)
        {
            return null;
        }

        var needed = new SortedSet<string>(StringComparer.Ordinal);
        var definitions = new JsonObject { ["response"] = Convert(schema, needed) };
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (needed.Except(done).FirstOrDefault() is { } name)
        {
            done.Add(name);
            var definition = Convert(_schemas[name]!.AsObject(), needed);
            foreach (var property in MayBeEmpty.GetValueOrDefault(name, []))
            {
                if (definition["properties"]?[property] is JsonObject described)
                {
                    definition["properties"]![property] = new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["const"] = "" }, described.DeepClone()) };
                }
            }
            definitions[name] = definition;
        }
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = definitions,
            ["$ref"] = "#/$defs/response",
        };
        return JsonSchema.FromText(root.ToJsonString());
    }

    /// <summary>One OpenAPI schema object as JSON Schema; <paramref name="needed"/> collects the components it refers to.</summary>
    private static JsonObject Convert(JsonObject schema, ISet<string> needed)
    {
        var result = new JsonObject();
        foreach (var (keyword, value) in schema)
        {
            switch (keyword)
            {
                case "$ref":
                    var reference = value!.GetValue<string>();
                    if (!reference.StartsWith(ComponentPrefix, StringComparison.Ordinal))
                    {
                        throw new NotSupportedException($"Reference {reference} is not to a component schema.");
                    }
                    needed.Add(reference[ComponentPrefix.Length..]);
                    result["$ref"] = "#/$defs/" + reference[ComponentPrefix.Length..];
                    break;
                case "properties":
                    var properties = new JsonObject();
                    foreach (var (name, property) in value!.AsObject())
                    {
                        properties[name] = Convert(property!.AsObject(), needed);
                    }
                    result["properties"] = properties;
                    break;
                case "items" or "not":
                    result[keyword] = Convert(value!.AsObject(), needed);
                    break;
                case "additionalProperties":
                    result[keyword] = value is JsonObject additional ? Convert(additional, needed) : value!.DeepClone();
                    break;
                case "allOf" or "anyOf" or "oneOf":
                    result[keyword] = new JsonArray(value!.AsArray().Select(s => (JsonNode?)Convert(s!.AsObject(), needed)).ToArray());
                    break;
                case "format":
                    if (CheckedFormats.Contains(value!.GetValue<string>()))
                    {
                        result[keyword] = value.DeepClone();
                    }
                    break;
                case "type" or "required" or "enum" or "minimum" or "maximum" or "minLength" or "maxLength" or "pattern"
                    or "minItems" or "maxItems" or "uniqueItems" or "const":
                    result[keyword] = value?.DeepClone();
                    break;
                default:
                    // nullable is handled below; description, example, readOnly, x-... say nothing about validity.
                    break;
            }
        }

        if (schema["nullable"]?.GetValue<bool>() != true)
        {
            return result;
        }
        if (result["enum"] is JsonArray values && !values.Any(v => v is null))
        {
            values.Add(null);
        }
        if (result["type"] is JsonValue type)
        {
            result["type"] = new JsonArray(type.GetValue<string>(), "null");
            return result;
        }
        return new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "null" }, result) };
    }
}

/// <summary>
/// A fact that checks the sandbox against GitHub's published description: reported as skipped, saying
/// why, when no description was installed (build.ps1 Test installs it with npm when npm is present).
/// </summary>
public sealed class OpenApiFactAttribute : FactAttribute
{
    public OpenApiFactAttribute()
    {
        if (OpenApiDescription.PathFromEnvironment is null)
        {
            Skip = $"{OpenApiDescription.PathVariable} is not set: GitHub's OpenAPI description comes from the npm package " +
                "@octokit/openapi, which build.ps1 Test installs when npm is on the PATH.";
        }
    }
}
