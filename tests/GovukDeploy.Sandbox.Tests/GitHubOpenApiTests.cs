using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>
/// Every GitHub operation the sandbox serves answers with JSON that GitHub's published OpenAPI
/// description accepts: every property's type, format, enum and nullability, not only the required
/// names. The description is the npm package @octokit/openapi, installed by build.ps1 Test.
/// </summary>
public sealed class GitHubOpenApiTests
{
    private static readonly Lazy<OpenApiDescription> Description = new(() =>
    {
        var path = OpenApiDescription.PathFromEnvironment!;
        Assert.True(File.Exists(path), $"{OpenApiDescription.PathVariable} names {path}, which does not exist.");
        return OpenApiDescription.Load(path);
    });

    private static readonly EvaluationOptions Strict = new() { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };

    private sealed record Operation(string Method, string DescribedPath, string RequestPath, int Status, object? Body = null);

    [OpenApiFact]
    public async Task EveryServedOperationAnswersAsTheDescriptionSays()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        const string repo = "repos/alphagov/frontend";
        var login = (await Send(sandbox, HttpMethod.Get, "user", 200)).GetProperty("login").GetString();
        var tagSha = (await Send(sandbox, HttpMethod.Get, $"{repo}/git/ref/tags/release_10", 200)).GetProperty("object").GetProperty("sha").GetString();
        var pull = await Send(sandbox, HttpMethod.Get, $"{repo}/pulls/13", 200);
        var head = pull.GetProperty("head").GetProperty("sha").GetString();
        var main = (await Send(sandbox, HttpMethod.Get, $"{repo}/commits/main", 200)).GetProperty("sha").GetString();
        var deployment = (await Send(sandbox, HttpMethod.Post, $"{repo}/deployments", 201,
            new { @ref = "release_10", environment = "staging", required_contexts = Array.Empty<string>() })).GetProperty("id").GetInt64();
        var deploymentStatus = (await Send(sandbox, HttpMethod.Post, $"{repo}/deployments/{deployment}/statuses", 201,
            new { state = "success", description = "done" })).GetProperty("id").GetInt64();

        const string r = "/repos/{owner}/{repo}";
        Operation[] operations =
        [
            new("GET", "/user", "user", 200),
            new("GET", "/users/{username}", $"users/{login}", 200),
            new("GET", "/rate_limit", "rate_limit", 200),
            new("GET", "/orgs/{org}/repos", "orgs/alphagov/repos", 200),
            new("GET", r, repo, 200),
            new("GET", r + "/tags", $"{repo}/tags", 200),
            new("GET", r + "/git/ref/{ref}", $"{repo}/git/ref/tags/release_10", 200),
            new("GET", r + "/git/matching-refs/{ref}", $"{repo}/git/matching-refs/tags/release_", 200),
            new("GET", r + "/git/tags/{tag_sha}", $"{repo}/git/tags/{tagSha}", 200),
            new("GET", r + "/git/commits/{commit_sha}", $"{repo}/git/commits/{main}", 200),
            new("GET", r + "/branches", $"{repo}/branches", 200),
            new("GET", r + "/branches/{branch}", $"{repo}/branches/main", 200),
            new("GET", r + "/commits", $"{repo}/commits", 200),
            new("GET", r + "/commits/{ref}", $"{repo}/commits/main", 200),
            new("GET", r + "/commits/{commit_sha}/pulls", $"{repo}/commits/{head}/pulls", 200),
            new("GET", r + "/commits/{ref}/status", $"{repo}/commits/{head}/status", 200),
            new("GET", r + "/commits/{ref}/statuses", $"{repo}/commits/{head}/statuses", 200),
            new("GET", r + "/commits/{ref}/check-runs", $"{repo}/commits/{head}/check-runs", 200),
            new("GET", r + "/compare/{basehead}", $"{repo}/compare/release_1...release_3", 200),
            new("GET", r + "/pulls", $"{repo}/pulls", 200),
            new("GET", r + "/pulls/{pull_number}", $"{repo}/pulls/13", 200),
            new("GET", r + "/pulls/{pull_number}/commits", $"{repo}/pulls/13/commits", 200),
            new("GET", r + "/pulls/{pull_number}/reviews", $"{repo}/pulls/13/reviews", 200),
            new("GET", r + "/deployments", $"{repo}/deployments", 200),
            new("GET", r + "/deployments/{deployment_id}", $"{repo}/deployments/{deployment}", 200),
            new("GET", r + "/deployments/{deployment_id}/statuses", $"{repo}/deployments/{deployment}/statuses", 200),
            new("GET", r + "/deployments/{deployment_id}/statuses/{status_id}", $"{repo}/deployments/{deployment}/statuses/{deploymentStatus}", 200),
            new("POST", r + "/deployments", $"{repo}/deployments", 201, new { @ref = "release_9", environment = "integration", required_contexts = Array.Empty<string>() }),
            new("POST", r + "/deployments/{deployment_id}/statuses", $"{repo}/deployments/{deployment}/statuses", 201, new { state = "in_progress" }),
            new("POST", r + "/statuses/{sha}", $"{repo}/statuses/{head}", 201, new { state = "success", context = "openapi-check", description = "checked" }),
            new("POST", r + "/git/refs", $"{repo}/git/refs", 201, new { @ref = "refs/tags/openapi_check", sha = main }),
        ];

        var failures = new List<string>();
        foreach (var operation in operations)
        {
            var schema = Description.Value.ResponseSchema(operation.Method, operation.DescribedPath, operation.Status);
            if (schema is null)
            {
                failures.Add($"{operation.Method} {operation.DescribedPath}: the description has no JSON answer with status {operation.Status}");
                continue;
            }
            var body = await Send(sandbox, new HttpMethod(operation.Method), operation.RequestPath, operation.Status, operation.Body);
            failures.AddRange(Problems(schema, body).Select(p => $"{operation.Method} {operation.RequestPath}: {p}"));
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [OpenApiFact]
    public void TheCheckRefusesAnAnswerThatBreaksTheDescription()
    {
        // A check that could not fail would prove nothing: a user whose id is a string, whose
        // html_url is not a URI and whose created_at is not a date-time must be refused.
        var schema = Description.Value.ResponseSchema("GET", "/users/{username}", 200)!;
        var user = JsonDocument.Parse("""
            {"login":"x","id":"seven","node_id":"n","avatar_url":"https://a.example/","gravatar_id":null,"url":"https://a.example/",
             "html_url":"not a uri","followers_url":"https://a.example/","following_url":"https://a.example/","gists_url":"https://a.example/",
             "starred_url":"https://a.example/","subscriptions_url":"https://a.example/","organizations_url":"https://a.example/",
             "repos_url":"https://a.example/","events_url":"https://a.example/","received_events_url":"https://a.example/","type":"User",
             "site_admin":false,"name":null,"company":null,"blog":null,"location":null,"email":null,"hireable":null,"bio":null,
             "public_repos":0,"public_gists":0,"followers":0,"following":0,"created_at":"yesterday","updated_at":"2020-01-01T00:00:00Z"}
            """).RootElement;

        var problems = Problems(schema, user);

        Assert.Contains(problems, p => p.StartsWith("/id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("/html_url", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("/created_at", StringComparison.Ordinal));
    }

    private static List<string> Problems(JsonSchema schema, JsonElement body)
    {
        var problems = new List<string>();
        Collect(schema.Evaluate(JsonNode.Parse(body.GetRawText()), Strict), problems);
        return problems.Distinct().ToList();
    }

    /// <summary>The errors of the failing branches only: a passing node's failed alternatives (anyOf, oneOf) are no problem.</summary>
    private static void Collect(EvaluationResults node, List<string> problems)
    {
        if (node.IsValid)
        {
            return;
        }
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            problems.Add($"{node.InstanceLocation} {keyword}: {message} (schema {node.EvaluationPath})");
        }
        foreach (var child in node.Details)
        {
            Collect(child, problems);
        }
    }

    private static async Task<JsonElement> Send(TestSandbox sandbox, HttpMethod method, string path, int status, object? body = null)
    {
        using var request = sandbox.GitHubRequest(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await sandbox.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
