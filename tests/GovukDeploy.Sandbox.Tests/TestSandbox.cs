using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GovukDeploy.Sandbox.Hosting;
using Octokit;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>A sandbox started in-process on a free port, with short build times, and clients pointed at it.</summary>
public sealed class TestSandbox : IAsyncDisposable
{
    private TestSandbox(SandboxServer server)
    {
        Server = server;
        Http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(server.BaseUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public SandboxServer Server { get; }
    public HttpClient Http { get; }
    public string BaseUrl => Server.BaseUrl;

    public static async Task<TestSandbox> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { Port = 0, DeploySeconds = 0.6, CiSeconds = 0.2, QueueSeconds = 0.1, WatchStdin = false };
        configure?.Invoke(options);
        return new TestSandbox(await SandboxServer.StartAsync(options));
    }

    /// <summary>Octokit pointed at the sandbox the GitHub Enterprise way: the host root, to which Octokit adds api/v3/.</summary>
    public GitHubClient GitHub(bool authenticated = true)
    {
        var client = new GitHubClient(new Octokit.ProductHeaderValue("govukdeploy-sandbox-tests"), new Uri(BaseUrl));
        if (authenticated)
        {
            client.Credentials = new Credentials(Server.Credentials.GitHubToken);
        }
        return client;
    }

    public HttpRequestMessage GitHubRequest(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, "api/v3/" + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("token", Server.Credentials.GitHubToken);
        request.Headers.UserAgent.ParseAdd("tests");
        return request;
    }

    public AuthenticationHeaderValue JenkinsBasic() => new("Basic",
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Server.Credentials.JenkinsUser}:{Server.Credentials.JenkinsApiToken}")));

    public async Task<JsonElement> GetJson(string path, AuthenticationHeaderValue? auth = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = auth;
        using var response = await Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async Task<HttpResponseMessage> PostJson(string path, object body)
    {
        var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        return await Http.PostAsync(path, content);
    }

    /// <summary>Triggers a Jenkins job with API-token auth and returns the queue item URL.</summary>
    public async Task<string> TriggerJenkins(string environment, string jobPath, IDictionary<string, string> parameters)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"jenkins/{environment}/{jobPath}/buildWithParameters")
        {
            Content = new FormUrlEncodedContent(parameters),
        };
        request.Headers.Authorization = JenkinsBasic();
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    /// <summary>Polls a queue item until it leaves the queue; returns its JSON.</summary>
    public async Task<JsonElement> WaitForQueueItem(string queueUrl, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var item = await GetJson(queueUrl + "api/json");
            if (item.TryGetProperty("cancelled", out _) )
            {
                return item;
            }
            Assert.True(DateTime.UtcNow < deadline, "queue item did not leave the queue in time");
            await Task.Delay(50);
        }
    }

    /// <summary>Polls a build until it finishes; returns its JSON.</summary>
    public async Task<JsonElement> WaitForBuild(string buildUrl, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var build = await GetJson(buildUrl + "api/json");
            if (!build.GetProperty("building").GetBoolean())
            {
                return build;
            }
            Assert.True(DateTime.UtcNow < deadline, "build did not finish in time");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the pipeline log has an event of that kind for the repo.</summary>
    public async Task<JsonElement> WaitForEvent(string repo, string kind, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var events = await GetJson($"_sandbox/events?repo={repo}");
            foreach (var e in events.EnumerateArray())
            {
                if (e.GetProperty("kind").GetString() == kind)
                {
                    return e;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"no '{kind}' event for {repo} in time; events: {events}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
