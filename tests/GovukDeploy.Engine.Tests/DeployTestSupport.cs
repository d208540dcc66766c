using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GovukDeploy.Configuration;
using GovukDeploy.Deploys;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.Holidays;
using GovukDeploy.Jenkins;
using GovukDeploy.Reporting;
using GovukDeploy.Sandbox.Hosting;
using GovukDeploy.Store;
using GovukDeploy.DeployWindows;
using NodaTime;
using NodaTime.Testing;

namespace GovukDeploy.Tests;

/// <summary>
/// The real sandbox (started in-process on 127.0.0.1 with short build times), a real SQLite store in a
/// temporary folder seeded with the sandbox's applications, a window service on a FakeClock, and the
/// engine's deploy pieces wired to them.
/// </summary>
public sealed class DeployHarness : IAsyncDisposable
{
    /// <summary>A Tuesday, 10:00 in London: inside the staging and production windows.</summary>
    public static readonly Instant TuesdayMorning = Instant.FromUtc(2026, 11, 24, 10, 0);

    private readonly string _folder;
    private readonly List<IDisposable> _disposables = [];

    private DeployHarness(SandboxServer server, string folder, IDeployStore store)
    {
        Server = server;
        _folder = folder;
        Store = store;
        Http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        Clock = new FakeClock(TuesdayMorning);
        Windows = new DeployWindowService(Clock, DeployWindowPolicy.Build(), new BankHolidayCalendar());
    }

    public SandboxServer Server { get; }
    public IDeployStore Store { get; }
    public HttpClient Http { get; }
    public FakeClock Clock { get; }
    public DeployWindowService Windows { get; }
    public DeploySettings Settings { get; set; } = new();
    public string StorePath => Path.Combine(_folder, "store.db");
    public string JenkinsTemplate => Server.BaseUrl + "jenkins/{environment}/";

    public static readonly JenkinsClientOptions FastPolling = new()
    {
        QueuePollInterval = TimeSpan.FromMilliseconds(50),
        BuildPollInterval = TimeSpan.FromMilliseconds(50),
        RetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(300),
        RequestTimeout = TimeSpan.FromSeconds(10),
        TriggerSettleTime = TimeSpan.FromSeconds(1),
    };

    public static async Task<DeployHarness> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { Port = 0, DeploySeconds = 0.6, CiSeconds = 0.2, QueueSeconds = 0.1, WatchStdin = false };
        configure?.Invoke(options);
        var server = await SandboxServer.StartAsync(options);
        var folder = Path.Combine(Path.GetTempPath(), "govukdeploy-deploy-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var store = DeployStoreFactory.Open("sqlite:" + Path.Combine(folder, "store.db"));
        await store.InitializeAsync();
        await store.UpsertApplicationsAsync(
        [
            new Application { Name = "frontend", Repository = "alphagov/frontend", DeployName = "frontend", Team = "web" },
            new Application { Name = "contacts-admin", Repository = "alphagov/contacts-admin", DeployName = "contacts", Team = "publishing" },
            new Application { Name = "whitehall", Repository = "alphagov/whitehall", DeployName = "whitehall", Team = "publishing" },
        ], "tests");
        return new DeployHarness(server, folder, store);
    }

    /// <summary>Adds an application to the sandbox (GitHub, Release app) and to the store.</summary>
    public async Task AddAppAsync(string name, int releases = 3)
    {
        Server.Seed.App(name, null, releases);
        await Store.UpsertApplicationsAsync([new Application { Name = name, Repository = "alphagov/" + name, DeployName = name }], "tests");
    }

    public JenkinsConnection ApiTokenConnection() =>
        new(JenkinsTemplate, Server.Credentials.JenkinsUser, new Secret(Server.Credentials.JenkinsApiToken));

    public JenkinsConnection CrumbConnection() => new(JenkinsTemplate);

    public JenkinsClientFactory Jenkins(JenkinsConnection? connection = null, JenkinsClientOptions? options = null)
    {
        var factory = new JenkinsClientFactory(connection ?? ApiTokenConnection(), options ?? FastPolling);
        _disposables.Add(factory);
        return factory;
    }

    public ReleaseAppClient ReleaseApp()
    {
        var client = new ReleaseAppClient(new Uri(Server.BaseUrl + "release/"), new Secret(Server.Credentials.ReleaseAppToken), TimeSpan.FromSeconds(5));
        _disposables.Add(client);
        return client;
    }

    public DeployRunner Runner(JenkinsClientFactory? jenkins = null, IDeployRecorder? recorder = null, SlackAnnouncer? slack = null, IDeployStore? store = null) =>
        new(store ?? Store, jenkins ?? Jenkins(), Settings, recorder, slack);

    public DeployGateEvaluator Gates(JenkinsClientFactory? jenkins = null, IReleaseAppFreezeSource? releaseApp = null)
    {
        var factory = jenkins ?? Jenkins();
        return new DeployGateEvaluator(Store, Windows, Clock, Settings, releaseApp,
            (environment, token) => factory.For(environment).GetEstimatedDurationAsync(Settings.DeployJobName, token));
    }

    public DeployService Service(JenkinsClientFactory? jenkins = null, IReleaseAppFreezeSource? releaseApp = null, IDeployRecorder? recorder = null)
    {
        var factory = jenkins ?? Jenkins();
        return new DeployService(Gates(factory, releaseApp), Runner(factory, recorder));
    }

    /// <summary>Asks the sandbox's GitHub whether a tag (or branch) exists.</summary>
    public async Task<bool> RefExistsAsync(Application application, string reference, bool branch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v3/repos/{application.Repository}/git/ref/{(branch ? "heads" : "tags")}/{reference}");
        request.Headers.Authorization = new AuthenticationHeaderValue("token", Server.Credentials.GitHubToken);
        request.Headers.UserAgent.ParseAdd("tests");
        using var response = await Http.SendAsync(request, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }

    public GateRequest Gate(DeployRequest deploy, Func<Application, CancellationToken, Task<IReadOnlyList<UndeployedCommit>>>? others = null) => new()
    {
        Deploy = deploy,
        RefExists = (app, reference, token) => RefExistsAsync(app, reference, deploy.IsBranchDeploy, token),
        OtherPeoplesChanges = others,
    };

    public static DeployRequest Request(string application, string environment, string? release = "release_12", string? branch = null) => new()
    {
        Application = application,
        Environment = environment,
        Release = branch is null ? release : null,
        Branch = branch,
        Actor = "tester",
    };

    /// <summary>Records a finished deploy directly in the store (history for promotion and durations).</summary>
    public async Task<Deployment> RecordAsync(string application, string environment, string release, DeploymentStatus status,
        TimeSpan? duration = null, bool branch = false)
    {
        var id = await Store.StartDeploymentAsync(new DeploymentStart
        {
            Application = application, Environment = environment, Release = release, DeployedBy = "history", IsBranchDeploy = branch,
        });
        var started = (await Store.GetDeploymentAsync(id))!.StartedAt;
        return await Store.FinishDeploymentAsync(id, new DeploymentFinish(status, FinishedAt: started + (duration ?? TimeSpan.FromMinutes(3))), "history");
    }

    public async Task FaultAsync(string service, string kind, int? count = null, string? environment = null)
    {
        var body = new Dictionary<string, object?> { ["service"] = service, ["kind"] = kind };
        if (count is not null)
        {
            body["count"] = count;
        }
        if (environment is not null)
        {
            body["environment"] = environment;
        }
        using var response = await Http.PostAsync("_sandbox/faults", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Server.Credentials.JenkinsUser}:{Server.Credentials.JenkinsApiToken}")));
        using var response = await Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async Task<JsonElement> GitHubJsonAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v3/" + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("token", Server.Credentials.GitHubToken);
        request.Headers.UserAgent.ParseAdd("tests");
        using var response = await Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>The builds of a job in one environment's Jenkins, newest first.</summary>
    public async Task<IReadOnlyList<int>> BuildNumbersAsync(string environment, string job = "Deploy_App")
    {
        var json = await GetJsonAsync($"jenkins/{environment}/{JenkinsJobPath.ToUrlPath(job)}api/json");
        return json.GetProperty("builds").EnumerateArray().Select(b => b.GetProperty("number").GetInt32()).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }
        Http.Dispose();
        await Store.DisposeAsync();
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A reporter that keeps everything it is told, thread-safely; a hook can act on each console line.</summary>
public sealed class RecordingReporter : IOperationReporter
{
    public ConcurrentQueue<ProgressUpdate> ProgressUpdates { get; } = new();
    public ConcurrentQueue<string> Lines { get; } = new();
    public ConcurrentQueue<string> Warnings { get; } = new();
    public ConcurrentQueue<string> VerboseLines { get; } = new();
    public Action<string>? OnInformation { get; set; }
    public Action<ProgressUpdate>? OnProgress { get; set; }

    public void Progress(ProgressUpdate update)
    {
        ProgressUpdates.Enqueue(update);
        OnProgress?.Invoke(update);
    }

    public void Verbose(string message) => VerboseLines.Enqueue(message);

    public void Information(string message)
    {
        Lines.Enqueue(message);
        OnInformation?.Invoke(message);
    }

    public void Warning(string message) => Warnings.Enqueue(message);
}

/// <summary>Loses the answer to chosen requests: before sending (the server never sees it) or after (it acted, the client never hears).</summary>
public sealed class LosingHandler : DelegatingHandler
{
    private int _remaining;

    public LosingHandler(HttpMessageHandler inner, Func<HttpRequestMessage, bool> match, bool afterSending, int times = 1) : base(inner)
    {
        Match = match;
        AfterSending = afterSending;
        _remaining = times;
    }

    public Func<HttpRequestMessage, bool> Match { get; }
    public bool AfterSending { get; }
    public int Lost => _lost;
    private int _lost;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!Match(request) || Interlocked.Decrement(ref _remaining) < 0)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        Interlocked.Increment(ref _lost);
        if (AfterSending)
        {
            using var response = await base.SendAsync(request, cancellationToken);
        }
        throw new HttpRequestException("The connection was reset (test).");
    }
}
