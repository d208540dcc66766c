using GovukDeploy.Errors;

namespace GovukDeploy.GitHub;

/// <summary>
/// Turns what a user types for GitHub's address into the REST API's base address. Users give
/// either the API address (https://api.github.com/, https://ghe.example/api/v3/) or a GitHub
/// Enterprise server's own address (https://ghe.example/), so both forms are accepted.
/// </summary>
public static class GitHubApiAddress
{
    public static readonly Uri DotCom = new("https://api.github.com/");

    public static Uri Normalise(string address)
    {
        if (!Uri.TryCreate(address?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw ErrorCatalogue.InvalidGitHubApiUrl(address);
        }

        if (uri.Host.Equals("github.com", StringComparison.OrdinalIgnoreCase) || uri.Host.Equals("www.github.com", StringComparison.OrdinalIgnoreCase))
        {
            return DotCom;
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        var builder = new UriBuilder(uri) { Query = "", Fragment = "" };
        // api.<host> (github.com, GHE.com data residency) serves the API at its root; an Enterprise
        // server serves it under /api/v3, possibly below a path prefix.
        var servesAtRoot = uri.Host.StartsWith("api.", StringComparison.OrdinalIgnoreCase);
        if (servesAtRoot || path.EndsWith("/api/v3", StringComparison.OrdinalIgnoreCase))
        {
            builder.Path = path + "/";
        }
        else
        {
            builder.Path = path + "/api/v3/";
        }
        return builder.Uri;
    }
}
