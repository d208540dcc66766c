using System.Text.Json;
using GovukDeploy.Sandbox.Pipeline;

namespace GovukDeploy.Sandbox.GitHub;

/// <summary>The REST subset GovukDeploy uses, under GitHub Enterprise's /api/v3/ layout.</summary>
public static partial class GitHubRoutes
{
    private const string Docs = "https://docs.github.com/rest";

    public static void Map(WebApplication app, GitHubStore store, GitHubJson json, ReleasePipeline pipeline, GitHubRateLimits limits)
    {
        var api = app.MapGroup("/api/v3");
        var repo = api.MapGroup("/repos/{owner}/{name}");

        MapRootAndUsers(api, store, json, limits);
        MapRepositories(api, repo, store, json);
        MapRefsAndTags(repo, store, json);
        MapBranches(repo, store, json);
        MapCommits(repo, store, json);
        MapStatusesAndChecks(repo, store, json);
        MapDeployments(repo, store, json);
        MapPulls(repo, store, json, pipeline);
    }

    private static bool? Flag(JsonElement body, string property) =>
        body.TryGetProperty(property, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static IResult WithRepo(GitHubStore store, string owner, string name, Func<GitRepository, IResult> handler)
    {
        lock (store.Sync)
        {
            var repo = store.FindRepository(owner, name);
            return repo is null ? NotFound(Docs + "/repos/repos#get-a-repository") : handler(repo);
        }
    }

    private static async Task<JsonElement?> ReadBody(HttpContext ctx)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement body, string property) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static IResult NotFound(string documentation) => Fail(404, "Not Found", documentation);

    public static IResult Fail(int status, string message, string documentation) =>
        Results.Extensions.GitHubError(status, message, documentation);
}

/// <summary>An IResult that writes GitHub's error body.</summary>
public sealed class GitHubErrorResult(int status, string message, string documentation) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => GitHubGateway.Error(httpContext, status, message, documentation);
}

public static class GitHubResultExtensions
{
    public static IResult GitHubError(this IResultExtensions _, int status, string message, string documentation) =>
        new GitHubErrorResult(status, message, documentation);
}
