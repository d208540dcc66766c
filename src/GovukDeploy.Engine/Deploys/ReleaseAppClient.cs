using System.Net;
using System.Text.Json;
using GovukDeploy.Configuration;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.Errors;
using RestSharp;

namespace GovukDeploy.Deploys;

/// <summary>
/// The Release app (alphagov/release): reads an application's deploy_freeze flag and records deploys
/// (POST /deployments, form fields, bearer token). The token never appears in a message.
/// </summary>
public sealed class ReleaseAppClient : IReleaseAppFreezeSource, IDeployRecorder, IDisposable
{
    private readonly RestClient _rest;
    private readonly Secret? _token;
    private readonly Uri _baseUrl;

    public ReleaseAppClient(Uri baseUrl, Secret? token, TimeSpan? timeout = null, Func<HttpMessageHandler, HttpMessageHandler>? wrapHandler = null)
    {
        _baseUrl = new Uri(baseUrl.ToString().TrimEnd('/') + "/");
        _token = token;
        var options = new RestClientOptions(_baseUrl)
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(15),
            FollowRedirects = false,
            UserAgent = "GovukDeploy",
        };
        if (wrapHandler is not null)
        {
            options.ConfigureMessageHandler = wrapHandler;
        }
        _rest = new RestClient(options);
    }

    /// <summary>Null when no Release app is configured.</summary>
    public static ReleaseAppClient? FromConfiguration(DeployConfiguration configuration) =>
        configuration.Get(SettingCatalogue.ReleaseAppUrl) is { } url
            ? new ReleaseAppClient(new Uri(url), configuration.GetSecret(SettingCatalogue.ReleaseAppToken))
            : null;

    public async Task<ReleaseAppFreezeAnswer> GetFreezeAsync(Application application, CancellationToken cancellationToken)
    {
        var request = new RestRequest($"applications/{Uri.EscapeDataString(application.Name)}.json");
        Authorize(request);
        var response = await _rest.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (response.StatusCode != HttpStatusCode.OK || response.RawBytes is null)
        {
            var why = response.StatusCode == 0 ? "it did not answer" : $"it answered {(int)response.StatusCode}";
            return ReleaseAppFreezeAnswer.Unknown($"The Release app at {_baseUrl} could not say whether {application.Name} is frozen ({why}).");
        }

        try
        {
            using var json = JsonDocument.Parse(response.RawBytes);
            var root = json.RootElement;
            if (!root.TryGetProperty("deploy_freeze", out var freeze) || freeze.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return ReleaseAppFreezeAnswer.Unknown($"The Release app's record of {application.Name} has no deploy_freeze flag.");
            }

            var notes = root.TryGetProperty("notes", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return freeze.GetBoolean()
                ? new ReleaseAppFreezeAnswer(true, $"The Release app marks {application.Name} as frozen{(string.IsNullOrWhiteSpace(notes) ? "" : ": " + notes)}")
                : new ReleaseAppFreezeAnswer(false, "The Release app has no freeze");
        }
        catch (JsonException)
        {
            return ReleaseAppFreezeAnswer.Unknown($"The Release app's answer about {application.Name} was not JSON.");
        }
    }

    public async Task RecordDeploymentAsync(Application application, string version, string environment, CancellationToken cancellationToken)
    {
        var request = new RestRequest("deployments", Method.Post);
        request.AddParameter("repo", application.Repository, ParameterType.GetOrPost);
        request.AddParameter("deployment[version]", version, ParameterType.GetOrPost);
        request.AddParameter("deployment[environment]", environment, ParameterType.GetOrPost);
        Authorize(request);
        var response = await _rest.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (!response.IsSuccessStatusCode)
        {
            var why = response.StatusCode == 0 ? "it did not answer" : $"it answered {(int)response.StatusCode}";
            throw ErrorCatalogue.ReleaseAppRecordFailed(_baseUrl.ToString(), application.Repository, version, environment, why, application.Name, response.ErrorException);
        }
    }

    private void Authorize(RestRequest request)
    {
        if (_token is not null)
        {
            request.AddHeader("Authorization", "Bearer " + _token.Reveal());
        }
    }

    public void Dispose() => _rest.Dispose();
}
