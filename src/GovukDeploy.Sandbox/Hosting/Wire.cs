using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GovukDeploy.Sandbox.Hosting;

/// <summary>Serialisation shared by every service: property names are written exactly as each wire format spells them.</summary>
public static class Wire
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = null,
        DictionaryKeyPolicy = null,
        WriteIndented = false,
        // GitHub and Jenkins emit '+' and '<' unescaped; so do we.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>ISO 8601 in UTC with a Z and no fraction, as GitHub writes timestamps.</summary>
    public static string Iso(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string? Iso(DateTimeOffset? value) => value is { } v ? Iso(v) : null;

    public static IResult JsonResult(object? body, int status = 200) =>
        Results.Json(body, Json, "application/json; charset=utf-8", status);
}
