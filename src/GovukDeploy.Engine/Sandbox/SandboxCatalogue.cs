using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace GovukDeploy.Sandbox;

/// <summary>
/// The applications a running sandbox serves, read from its Release app (applications.json: each
/// application's repository and the name Jenkins deploys it by), for the session's private catalogue.
/// </summary>
public static partial class SandboxCatalogue
{
    private const int MaxApplications = 5000;

    /// <summary>Every repository the sandbox's Release app knows, as catalogue entries named after the repository.</summary>
    public static async Task<IReadOnlyList<Application>> ReadAsync(SandboxInfo sandbox, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(sandbox.ReleaseAppUrl), "applications.json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var bodyLifetime = body.ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return FromReleaseApp(document.RootElement);
    }

    /// <summary>Catalogue entries from the Release app's answer; an entry without a usable repository or short name is left out.</summary>
    internal static IReadOnlyList<Application> FromReleaseApp(JsonElement applications)
    {
        var found = new List<Application>();
        if (applications.ValueKind != JsonValueKind.Array)
        {
            return found;
        }
        foreach (var entry in applications.EnumerateArray().Take(MaxApplications))
        {
            var repository = Text(entry, "repo");
            var shortname = Text(entry, "shortname");
            if (repository is null || shortname is null || !Repository().IsMatch(repository) || !Name().IsMatch(shortname) ||
                repository.Split('/').Any(part => part is "." or ".."))
            {
                continue;
            }
            found.Add(new Application
            {
                Name = repository.Split('/')[1],
                Repository = repository,
                DeployName = shortname,
            });
        }
        return found;
    }

    private static string? Text(JsonElement entry, string name) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    // GitHub's own rules for owner and repository names, bounded in length.
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex Repository();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex Name();
}
