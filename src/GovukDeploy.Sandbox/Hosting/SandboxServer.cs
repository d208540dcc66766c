using System.Net;
using GovukDeploy.Sandbox.Control;
using GovukDeploy.Sandbox.Faults;
using GovukDeploy.Sandbox.GitHub;
using GovukDeploy.Sandbox.Icinga;
using GovukDeploy.Sandbox.Jenkins;
using GovukDeploy.Sandbox.Pipeline;
using GovukDeploy.Sandbox.Release;
using GovukDeploy.Sandbox.Seed;
using GovukDeploy.Sandbox.Sentry;
using GovukDeploy.Sandbox.Slack;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GovukDeploy.Sandbox.Hosting;

/// <summary>
/// The running sandbox: Kestrel on 127.0.0.1 and the in-memory services behind it.
/// Program starts one from the command line; tests start one in-process.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxServer(WebApplication app, SandboxOptions options, SandboxUrls urls, TimeProvider clock)
    {
        _app = app;
        Options = options;
        Urls = urls;
        Credentials = new SandboxCredentials();
        Faults = new FaultBoard(clock);
        GitHub = new GitHubStore(clock);
        GitHubJson = new GitHubJson(urls);
        RateLimits = new GitHubRateLimits(clock);
        Release = new ReleaseApp();
        Farm = new JenkinsFarm();
        var scripts = new BuildScripts(GitHub, Release, Faults, options.DeploySeconds, options.CiSeconds);
        Farm.Add(new JenkinsInstance(JenkinsFarm.Ci, urls, clock, Faults, options.QueueSeconds));
        foreach (var environment in JenkinsFarm.DeployEnvironments)
        {
            var jenkins = new JenkinsInstance(environment, urls, clock, Faults, options.QueueSeconds);
            var deploy = jenkins.AddJob("Deploy_App", JobKind.FreeStyle, BuildScripts.DeployParameters, scripts.DeployApp(),
                $"Deploys an application to {environment}.");
            deploy.EstimatedDurationMs = (long)(options.DeploySeconds * 1000);
            var smokey = jenkins.AddJob("Smokey", JobKind.FreeStyle, BuildScripts.SmokeyParameters, scripts.Smokey(),
                $"Smoke tests for {environment}.");
            smokey.EstimatedDurationMs = (long)(options.CiSeconds * 1000);
            Farm.Add(jenkins);
        }
        Pipeline = new ReleasePipeline(GitHub, Farm, scripts, new PipelineLog(clock));
        Sentry = new SentryStore(clock);
        Icinga = new IcingaStore(JenkinsFarm.DeployEnvironments);
        Aftermath = new DeployAftermath(Sentry, Icinga);
        scripts.Deployed = Aftermath.Deployed;
        scripts.SmokeMustFail = Aftermath.TakeSmokeFailure;
        HealthSeed.Infrastructure(Icinga, clock.GetUtcNow());
        Seed = null!;
    }

    public SandboxOptions Options { get; }
    public SandboxUrls Urls { get; }
    public SandboxCredentials Credentials { get; }
    public FaultBoard Faults { get; }
    public GitHubStore GitHub { get; }
    public GitHubJson GitHubJson { get; }
    public GitHubRateLimits RateLimits { get; }
    public ReleaseApp Release { get; }
    public JenkinsFarm Farm { get; }
    public ReleasePipeline Pipeline { get; }
    public SentryStore Sentry { get; }
    public IcingaStore Icinga { get; }
    public DeployAftermath Aftermath { get; }
    public RequestCounter Requests { get; } = new();
    public SeedBuilder Seed { get; private set; }

    /// <summary>A stand-in Slack incoming webhook, at /slack/services/...: what it was sent is kept for tests.</summary>
    public SlackInbox Slack { get; } = new();
    public string BaseUrl => Urls.Base;
    public IHostApplicationLifetime Lifetime => _app.Lifetime;

    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        if (options.SeedPath is not null && !File.Exists(options.SeedPath))
        {
            throw new FileNotFoundException($"The seed catalogue '{options.SeedPath}' does not exist.", options.SeedPath);
        }
        if (options.GeneratedApps is < 0 or > SandboxOptions.MaxGeneratedApps)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"GeneratedApps must be from 0 to {SandboxOptions.MaxGeneratedApps}.");
        }
        if (options.HolidaysPath is not null && !File.Exists(options.HolidaysPath))
        {
            throw new FileNotFoundException($"The bank-holiday file '{options.HolidaysPath}' does not exist.", options.HolidaysPath);
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        // stdout carries only the ready line; the host's own chatter goes nowhere.
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("GOVUKDEPLOY_SANDBOX_LOG") is { Length: > 0 })
        {
            // For debugging the sandbox itself: the host's log goes to stderr, never stdout.
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var clock = TimeProvider.System;
        var urls = new SandboxUrls();
        builder.Services.AddSingleton(clock);
        var app = builder.Build();
        var server = new SandboxServer(app, options, urls, clock);
        server.Configure();

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        urls.Base = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);

        server.Seed = new SeedBuilder(server.GitHub, server.Release, server.Pipeline, server.Farm, urls.Base,
            server.Credentials.GitHubLogin, server.Credentials.GitHubToken);
        server.Seed.AppSeeded = repo => HealthSeed.App(repo, server.Sentry, server.Icinga, clock.GetUtcNow());
        if (options.SeedPath is null)
        {
            DefaultSeed.Apply(server.Seed);
        }
        else
        {
            CatalogueSeed.Apply(server.Seed, options.SeedPath);
        }
        GeneratedSeed.Apply(server.Seed, options.GeneratedApps);
        server.Seed.Finish();
        return server;
    }

    private void Configure()
    {
        var app = _app;
        app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() =>
        {
            foreach (var jenkins in Farm.All)
            {
                jenkins.Shutdown();
            }
        });

        app.Use(async (ctx, next) =>
        {
            ctx.Response.Headers.Server = "GovukDeploy.Sandbox";
            if (FaultMiddleware.ServiceFor(ctx.Request.Path) is { } service)
            {
                Requests.Add(service);
            }
            await next(ctx);
        });
        app.UseMiddleware<FaultMiddleware>(Faults);
        app.UseMiddleware<GitHubGateway>(GitHub, RateLimits, Faults);
        app.UseRouting();

        app.MapGet("/", () => Wire.JsonResult(ReadyInfo()));
        GitHubRoutes.Map(app, GitHub, GitHubJson, Pipeline, RateLimits);
        JenkinsRoutes.Map(app, Farm, Credentials);
        ReleaseRoutes.Map(app, Release, Credentials, TimeProvider.System);
        BankHolidayRoutes.Map(app, Options.HolidaysPath is null ? null : Path.GetFullPath(Options.HolidaysPath));
        FaultRoutes.Map(app, Faults, Farm);
        ControlRoutes.Map(app, this);
        SentryRoutes.Map(app, Sentry, Credentials, TimeProvider.System);
        IcingaRoutes.Map(app, Icinga, Credentials);
        AftermathRoutes.Map(app, Aftermath, TimeProvider.System);
        // A stand-in for the deployment dashboard, so that DashboardUrl's link opens something.
        app.MapGet("/dashboard/{environment}/{application}", (string environment, string application) => Results.Content(
            $"<html><body><h1>{System.Net.WebUtility.HtmlEncode(application)} in {System.Net.WebUtility.HtmlEncode(environment)}</h1><p>The sandbox's deployment dashboard.</p></body></html>",
            "text/html; charset=utf-8"));
        ReviewAppStep.Map(app);
        SlackInbox.Map(app, Slack);

        // Unknown GitHub paths answer like GitHub does.
        app.MapFallback("/api/v3/{**rest}", (HttpContext ctx) => GitHubGateway.Error(ctx, 404, "Not Found"));
    }

    /// <summary>The one line printed when ready; Start-GovukDeploySandbox parses these key names.</summary>
    public Dictionary<string, object?> ReadyInfo() => new()
    {
        ["ready"] = true,
        ["baseUrl"] = BaseUrl,
        ["gitHubApiUrl"] = BaseUrl + "api/v3/",
        ["jenkinsUrl"] = BaseUrl + "jenkins/{environment}/",
        ["releaseAppUrl"] = BaseUrl + "release/",
        ["bankHolidayFeedUrl"] = BaseUrl + "bank-holidays.json",
        ["controlUrl"] = BaseUrl + "_sandbox/",
        ["gitHubToken"] = Credentials.GitHubToken,
        ["jenkinsUser"] = Credentials.JenkinsUser,
        ["jenkinsApiToken"] = Credentials.JenkinsApiToken,
        ["releaseAppToken"] = Credentials.ReleaseAppToken,
        ["sentryUrl"] = BaseUrl + "sentry/",
        ["sentryOrganisation"] = SentryStore.Organisation,
        ["sentryToken"] = Credentials.SentryToken,
        ["icingaUrl"] = BaseUrl + "icinga/{environment}/",
        ["icingaUser"] = Credentials.IcingaUser,
        ["icingaPassword"] = Credentials.IcingaPassword,
        ["dashboardUrl"] = BaseUrl + "dashboard/{environment}/{application}",
    };

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
    }
}
