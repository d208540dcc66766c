using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GovukDeploy.GitHub;
using GovukDeploy.Reporting;
using GovukDeploy.Sandbox.Hosting;

namespace GovukDeploy.Tests;

/// <summary>
/// The real sandbox server, started in-process on 127.0.0.1 with a fresh seed, and engine
/// connections pointed at it, each with its own temporary ETag cache.
/// </summary>
internal sealed class GitHubSandbox : IAsyncDisposable
{
    private readonly List<GitHubConnection> _connections = [];
    private readonly List<string> _directories = [];

    private GitHubSandbox(SandboxServer server)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public SandboxServer Server { get; }
    public HttpClient Http { get; }
    public string Token => Server.Credentials.GitHubToken;
    public string ApiUrl => Server.BaseUrl + "api/v3/";

    public static async Task<GitHubSandbox> StartAsync(double ciSeconds = 0.3)
    {
        var options = new SandboxOptions { Port = 0, DeploySeconds = 0.5, CiSeconds = ciSeconds, QueueSeconds = 0.05, WatchStdin = false };
        return new GitHubSandbox(await SandboxServer.StartAsync(options));
    }

    public static Application App(string repository, string? pattern = null)
    {
        var name = repository.Split('/')[^1];
        return new Application
        {
            Name = name,
            Repository = repository.Contains('/') ? repository : "alphagov/" + repository,
            DeployName = name,
            ReleaseTagPattern = pattern ?? ReleaseTagPattern.Default,
        };
    }

    /// <summary>A new connection with its own empty cache folder; quick retries so fault tests stay fast.</summary>
    public GitHubConnection Connect(string? token = "", IOperationReporter? reporter = null, string? apiUrl = null, string? cacheDirectory = null,
        Func<GitHubConnectionOptions, GitHubConnectionOptions>? adjust = null)
    {
        var options = new GitHubConnectionOptions
        {
            ApiUrl = apiUrl ?? ApiUrl,
            Token = token == "" ? Token : token,
            CacheDirectory = cacheDirectory ?? NewDirectory(),
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            CheckPollInterval = TimeSpan.FromMilliseconds(100),
            RequestTimeout = TimeSpan.FromSeconds(20),
        };
        options = adjust?.Invoke(options) ?? options;
        var connection = GitHubConnection.Create(options, reporter);
        _connections.Add(connection);
        return connection;
    }

    public string NewDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "govukdeploy-github-tests", Guid.NewGuid().ToString("N"));
        _directories.Add(path);
        return path;
    }

    /// <summary>POST /_sandbox/faults, e.g. new { service = "github", kind = "errors", count = 2 }.</summary>
    public Task InjectAsync(object fault) => PostAsync("_sandbox/faults", fault);

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Creates a tag through the sandbox's REST API, as a release job would.</summary>
    public async Task CreateTagAsync(string repo, string tag, string sha)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v3/repos/alphagov/{repo}/git/refs")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { @ref = "refs/tags/" + tag, sha }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("token", Token);
        request.Headers.UserAgent.ParseAdd("tests");
        using var response = await Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"creating {tag} answered {(int)response.StatusCode}");
    }

    public string BranchHead(string repo, string branch = "main")
    {
        lock (Server.GitHub.Sync)
        {
            return Server.GitHub.FindRepository("alphagov", repo)!.Branches[branch];
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
        Http.Dispose();
        await Server.DisposeAsync();
        foreach (var directory in _directories.Where(Directory.Exists))
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

// RecordingReporter (everything the engine reports) is shared with the deploy tests: see DeployTestSupport.cs.
