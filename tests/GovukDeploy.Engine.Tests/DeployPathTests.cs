using GovukDeploy.Configuration;
using GovukDeploy.Deploys;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.Errors;
using GovukDeploy.Session;
using GovukDeploy.Store;
using NodaTime;
using Xunit;

namespace GovukDeploy.Tests;

/// <summary>Invoke-Deploy's one path through the engine: gates, then the question, then the deploys; and the session's services and actor.</summary>
public sealed class DeployPathTests : IAsyncLifetime
{
    private DeployHarness _h = null!;
    private string _config = null!;
    private readonly Dictionary<string, string> _settings = [];

    public async Task InitializeAsync()
    {
        _h = await DeployHarness.StartAsync();
        _config = Path.Combine(Path.GetTempPath(), "govukdeploy-path-" + Guid.NewGuid().ToString("N"), "config.json");
        _settings["GOVUK_DEPLOY_GITHUB_API_URL"] = _h.Server.BaseUrl + "api/v3/";
        _settings["GITHUB_TOKEN"] = _h.Server.Credentials.GitHubToken;
        _settings["GOVUK_DEPLOY_JENKINS_URL"] = _h.JenkinsTemplate;
        _settings["JENKINS_USER"] = _h.Server.Credentials.JenkinsUser;
        _settings["JENKINS_API_TOKEN"] = _h.Server.Credentials.JenkinsApiToken;
        _settings["GOVUK_DEPLOY_STORE"] = "sqlite:" + _h.StorePath;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private EngineServices Engine() =>
        new(new DeployConfiguration(name => _settings.GetValueOrDefault(name), () => _config), SystemClock.Instance);

    private static async Task<List<T>> AllAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    [Fact]
    public async Task ARefusingGateWinsOverTheQuestionWhichIsAskedOnlyOnceEveryGatePassed()
    {
        await _h.Store.SetFreezesAsync([new FreezeRequest("whitehall", "integration", "migration", "#db", null)], "tests");
        var reporter = new RecordingReporter();
        var asked = new List<string>();
        var options = new DeployManyOptions
        {
            Confirm = (evaluation, _) =>
            {
                asked.Add(evaluation.Request.Application);
                // A session that cannot ask: the refusal the cmdlet makes.
                throw new GovukDeployException("ConfirmationRequired", ErrorKind.InvalidOperation, "cannot ask", evaluation.Request.ToString());
            },
        };

        var results = await AllAsync(_h.Service().DeployManyAsync(
            [_h.Gate(DeployHarness.Request("whitehall", "integration", "release_120")), _h.Gate(DeployHarness.Request("frontend", "integration"))],
            options, (_, deployment, _, _) => Task.FromResult(deployment), reporter, CancellationToken.None));

        Assert.Equal(["frontend"], asked);
        Assert.Equal("DeployFrozen", Assert.IsType<GovukDeployException>(results.Single(r => r.Item.Deploy.Application == "whitehall").Error).ErrorId);
        Assert.Equal("ConfirmationRequired", Assert.IsType<GovukDeployException>(results.Single(r => r.Item.Deploy.Application == "frontend").Error).ErrorId);
        // Every gate ran, and said so, before the question.
        Assert.Contains(reporter.VerboseLines, l => l.StartsWith("[frontend integration] Gate DeployLock: Passed."));
        // The refused question released the lock it held, and nothing was deployed.
        Assert.Null(await _h.Store.GetLockAsync("frontend", "integration"));
        Assert.Empty(await _h.Store.GetDeploymentsAsync(new DeploymentQuery { Applications = ["frontend"] }));
    }

    [Fact]
    public async Task ADeclinedDeployIsLeftOutWithItsLockReleasedAndTheOthersGoAhead()
    {
        var options = new DeployManyOptions { Confirm = (evaluation, _) => Task.FromResult(evaluation.Request.Application != "frontend") };

        var results = await AllAsync(_h.Service().DeployManyAsync(
            [_h.Gate(DeployHarness.Request("frontend", "integration")), _h.Gate(DeployHarness.Request("contacts-admin", "integration", "release_8"))],
            options, (_, deployment, _, _) => Task.FromResult(deployment), new RecordingReporter(), CancellationToken.None));

        var deployed = Assert.Single(results);
        Assert.Equal("contacts-admin", deployed.Item.Deploy.Application);
        Assert.Equal(DeploymentStatus.Succeeded, deployed.Result!.Status);
        Assert.Null(await _h.Store.GetLockAsync("frontend", "integration"));
    }

    [Fact]
    public async Task WhatIfMarksEachVerdictWithItsApplicationAndWhatTheDeployWouldDo()
    {
        await _h.Store.SetFreezesAsync([new FreezeRequest("whitehall", "integration", "migration", "#db", null)], "tests");
        var engine = Engine();

        var results = await AllAsync(engine.WhatIfDeployAsync(
            [DeployHarness.Request("whitehall", "integration", "release_120"), DeployHarness.Request("frontend", "integration")],
            new RecordingReporter(), CancellationToken.None));

        var whitehall = results.Single(r => r.Item.Application == "whitehall").Result!;
        var frontend = results.Single(r => r.Item.Application == "frontend").Result!;
        Assert.All(whitehall, v => Assert.Equal(("whitehall", "would be refused: Freeze"), (v.Application, v.Decision)));
        Assert.All(frontend, v => Assert.Equal(("frontend", "would deploy"), (v.Application, v.Decision)));
        Assert.Contains(frontend, v => v.Gate == GateNames.DeployLock);
        Assert.Null(await _h.Store.GetLockAsync("frontend", "integration"));
    }

    [Fact]
    public async Task TheActorIsTheGitHubLoginFromTheSessionsFirstEntryToItsLast()
    {
        var engine = Engine();

        // A freeze before anything has asked GitHub anything, then a deploy, then another freeze.
        await engine.Freezes.SetAsync(["frontend"], "before", "#web", environments: ["staging"]);
        var deployed = await AllAsync(engine.DeployManyAsync([DeployHarness.Request("contacts-admin", "integration", "release_8") with { Actor = "" }], new DeployManyOptions(),
            new AfterDeployOptions(Verify: false), new RecordingReporter(), CancellationToken.None));
        await engine.Freezes.SetAsync(["whitehall"], "after", "#publishing", environments: ["staging"]);

        var actors = (await _h.Store.GetAuditEventsAsync(AuditQuery.All)).Where(e => e.Actor != "tests").Select(e => e.Actor).Distinct().ToList();
        Assert.Equal([_h.Server.Credentials.GitHubLogin], actors);
        Assert.Equal(_h.Server.Credentials.GitHubLogin, Assert.Single(deployed).Result!.Deployment.DeployedBy);
    }

    [Fact]
    public async Task TheDeployServiceIsBuiltOncePerSettingsSnapshotAndAReplacedStoreIsClosed()
    {
        var engine = Engine();
        var first = engine.Deploys;
        var firstStore = engine.Store;
        Assert.Same(first, engine.Deploys);

        _settings["GOVUK_DEPLOY_STORE"] = "sqlite:" + Path.Combine(Path.GetDirectoryName(_h.StorePath)!, "other.db");
        Assert.NotSame(first, engine.Deploys);
        await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => firstStore.GetApplicationsAsync(new ApplicationQuery()));

        _settings["SLACK_WEBHOOK_URL"] = "https://hooks.slack.invalid/services/T0/B0/x";
        var withSlack = engine.Deploys;
        Assert.Same(withSlack, engine.Deploys);
        engine.DisposeServices();
        Assert.NotSame(withSlack, engine.Deploys);
    }
}
