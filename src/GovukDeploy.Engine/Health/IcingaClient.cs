using System.Text.Json;
using GovukDeploy.Configuration;
using GovukDeploy.Errors;
using RestSharp;
using RestSharp.Authenticators;

namespace GovukDeploy.Health;

/// <summary>One Icinga 2 service's state, as the API gives it (text already cleaned).</summary>
public sealed record IcingaServiceState(string Name, string DisplayName, string HostName, int State, int StateType, int Acknowledgement,
    int DowntimeDepth, DateTimeOffset? LastStateChange, string? Output)
{
    public bool IsOk => State == 0;
    public bool IsHard => StateType == 1;

    /// <summary>Icinga's word for the state.</summary>
    public string StateName => State switch { 0 => "OK", 1 => "WARNING", 2 => "CRITICAL", _ => "UNKNOWN" };
}

/// <summary>
/// One environment's Icinga 2 API: the services a filter selects, in one request (POST with
/// X-HTTP-Method-Override: GET, the query in a JSON body). Values go in filter_vars, never into the
/// filter. HTTPS is checked against the system's trusted CAs (add Icinga's own CA to them); nothing here
/// turns certificate checks off. The password never appears in a message.
/// </summary>
public sealed class IcingaClient : IDisposable
{
    private static readonly string[] Attributes =
        ["name", "display_name", "host_name", "state", "state_type", "acknowledgement", "downtime_depth", "last_state_change", "last_check_result"];

    private readonly RestClient _rest;
    private readonly bool _hasCredentials;

    public IcingaClient(Uri baseUrl, string environment, string? user, Secret? password, TimeSpan? timeout = null,
        Func<HttpMessageHandler, HttpMessageHandler>? wrapHandler = null)
    {
        BaseUrl = new Uri(baseUrl.ToString().TrimEnd('/') + "/");
        Environment = environment;
        var options = new RestClientOptions(BaseUrl)
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(15),
            FollowRedirects = false,
            ThrowOnAnyError = false,
            UserAgent = "GovukDeploy",
        };
        _hasCredentials = !string.IsNullOrWhiteSpace(user) && password is not null;
        if (_hasCredentials)
        {
            options.Authenticator = new HttpBasicAuthenticator(user!, password!.Reveal());
        }

        if (wrapHandler is not null)
        {
            options.ConfigureMessageHandler = wrapHandler;
        }

        _rest = new RestClient(options);
    }

    public Uri BaseUrl { get; }
    public string Environment { get; }

    /// <summary>The services <paramref name="filter"/> selects with <paramref name="filterVars"/>; empty when it selects none.</summary>
    public async Task<IReadOnlyList<IcingaServiceState>> GetServicesAsync(string filter, IReadOnlyDictionary<string, string> filterVars, CancellationToken cancellationToken)
    {
        if (!_hasCredentials)
        {
            throw ErrorCatalogue.IcingaCredentialsMissing(BaseUrl, SettingCatalogue.IcingaPassword);
        }

        var request = new RestRequest("v1/objects/services", Method.Post);
        request.AddHeader("X-HTTP-Method-Override", "GET");
        request.AddHeader("Accept", "application/json");
        request.AddStringBody(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["filter"] = filter,
            ["filter_vars"] = filterVars,
            ["attrs"] = Attributes,
        }), ContentType.Json);
        var response = await _rest.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var status = (int)response.StatusCode;
        if (status == 0)
        {
            var why = response.ResponseStatus == ResponseStatus.TimedOut ? "no answer in time" : "the connection failed";
            var tls = response.ErrorException?.GetBaseException() is System.Security.Authentication.AuthenticationException
                ? " Its certificate is not trusted: add Icinga's CA to the system's trusted certificates." : "";
            throw ErrorCatalogue.IcingaUnreachable(Environment, BaseUrl, $"it could not be reached ({why}).{tls}".TrimEnd('.'), response.ErrorException);
        }

        using var json = TryParse(response.RawBytes);
        switch (status)
        {
            case 401 or 403:
                throw ErrorCatalogue.IcingaAuthenticationFailed(Environment, BaseUrl, status);
            case 404 when IcingaMessage(json) is { } message && message.Contains("No objects found", StringComparison.OrdinalIgnoreCase):
                // Icinga's answer when the filter selects nothing.
                return [];
            case 400:
                throw ErrorCatalogue.IcingaFilterRejected(Environment, UntrustedText.Clean(IcingaMessage(json) ?? "HTTP 400"), SettingCatalogue.IcingaServiceFilter);
            case < 200 or >= 300:
                throw ErrorCatalogue.IcingaUnreachable(Environment, BaseUrl, $"it answered HTTP {status}{(status == 404 ? "; is IcingaUrl Icinga's API address?" : "")}");
        }

        if (json?.RootElement is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw ErrorCatalogue.IcingaBadAnswer(Environment, BaseUrl);
        }

        return results.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object).Select(Parse).ToList();
    }

    private static JsonDocument? TryParse(byte[]? body)
    {
        try
        {
            return body is { Length: > 0 } ? JsonDocument.Parse(body) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? IcingaMessage(JsonDocument? json) =>
        json?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;

    private static IcingaServiceState Parse(JsonElement result)
    {
        var attrs = result.TryGetProperty("attrs", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        string? Text(string name) => attrs.ValueKind == JsonValueKind.Object && attrs.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        // Integral numbers come as 2 or, from older Icinga, 2.0: take either. A missing state is UNKNOWN, never OK.
        int Number(string name, int missing) => attrs.ValueKind == JsonValueKind.Object && attrs.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? (int)Math.Round(v.GetDouble()) : missing;
        DateTimeOffset? changed = attrs.ValueKind == JsonValueKind.Object && attrs.TryGetProperty("last_state_change", out var lsc) && lsc.ValueKind == JsonValueKind.Number && lsc.GetDouble() > 0
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(lsc.GetDouble() * 1000)) : null;
        var output = attrs.ValueKind == JsonValueKind.Object && attrs.TryGetProperty("last_check_result", out var check) && check.ValueKind == JsonValueKind.Object
            && check.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
        var name = result.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : Text("name");
        return new IcingaServiceState(
            UntrustedText.Clean(name ?? "?"),
            UntrustedText.Clean(Text("display_name") ?? Text("name") ?? name),
            UntrustedText.Clean(Text("host_name")),
            Number("state", missing: 3),
            Number("state_type", missing: 1),
            Number("acknowledgement", missing: 0),
            Number("downtime_depth", missing: 0),
            changed,
            output is null ? null : UntrustedText.Clean(output));
    }

    public void Dispose() => _rest.Dispose();
}
