using GovukDeploy.Configuration;
using GovukDeploy.Errors;

namespace GovukDeploy.Jenkins;

/// <summary>
/// Where each environment's Jenkins is and how to sign in to it. The URL is a template in which
/// "{environment}" stands for the environment's name (GOV.UK ran one Jenkins per environment).
/// </summary>
public sealed class JenkinsConnection
{
    public const string EnvironmentPlaceholder = "{environment}";

    public JenkinsConnection(string urlTemplate, string? user = null, Secret? apiToken = null)
    {
        if (string.IsNullOrWhiteSpace(urlTemplate))
        {
            throw ErrorCatalogue.JenkinsUrlMissing(urlTemplate);
        }

        UrlTemplate = urlTemplate.Trim();
        User = string.IsNullOrWhiteSpace(user) ? null : user.Trim();
        ApiToken = apiToken;
    }

    public string UrlTemplate { get; }
    public string? User { get; }
    public Secret? ApiToken { get; }

    /// <summary>API-token auth needs no crumb; without a token the client works with a crumb and its session.</summary>
    public bool UsesApiToken => User is not null && ApiToken is not null;

    public static JenkinsConnection FromConfiguration(DeployConfiguration configuration) => new(
        configuration.Require(SettingCatalogue.JenkinsUrl),
        configuration.Get(SettingCatalogue.JenkinsUser),
        configuration.GetSecret(SettingCatalogue.JenkinsApiToken));

    /// <summary>The Jenkins of one environment, always ending in '/'.</summary>
    public Uri BaseUrlFor(string environment)
    {
        var text = UrlTemplate.Replace(EnvironmentPlaceholder, Uri.EscapeDataString(environment), StringComparison.OrdinalIgnoreCase);
        if (!Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw ErrorCatalogue.JenkinsUrlInvalid(text, environment);
        }

        return uri;
    }
}
