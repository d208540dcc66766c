using GovukDeploy.Configuration;
using GovukDeploy.Reporting;
using GovukDeploy.Session;
using GovukDeploy.Store;
using NodaTime;

namespace GovukDeploy.Tests;

/// <summary>
/// EngineServices.RunningAsync against the sandbox: Jenkins' history reconciled with the
/// deployed-to-ENVIRONMENT branches, disagreements said out loud.
/// </summary>
public sealed class RunningReconciliationTests : IAsyncLifetime
{
    private DeployHarness _h = null!;
    private string _config = null!;

    public async Task InitializeAsync()
    {
        _h = await DeployHarness.StartAsync();
        _config = Path.Combine(Path.GetTempPath(), "govukdeploy-reconcile-" + Guid.NewGuid().ToString("N"), "config.json");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>The module's own wiring, configured (as a user's environment would) for the sandbox and the harness's store.</summary>
    private EngineServices Engine()
    {
        var settings = new Dictionary<string, string>
        {
            ["GOVUK_DEPLOY_GITHUB_API_URL"] = _h.Server.BaseUrl + "api/v3/",
            ["GITHUB_TOKEN"] = _h.Server.Credentials.GitHubToken,
            ["GOVUK_DEPLOY_JENKINS_URL"] = _h.JenkinsTemplate,
            ["JENKINS_USER"] = _h.Server.Credentials.JenkinsUser,
            ["JENKINS_API_TOKEN"] = _h.Server.Credentials.JenkinsApiToken,
            ["GOVUK_DEPLOY_STORE"] = "sqlite:" + _h.StorePath,
        };
        return new EngineServices(new DeployConfiguration(name => settings.GetValueOrDefault(name), () => _config), SystemClock.Instance);
    }

    private void MoveBranch(string repository, string branch, string reference)
    {
        var repo = _h.Server.GitHub.FindRepository("alphagov", repository)!;
        lock (_h.Server.GitHub.Sync)
        {
            repo.Branches[branch] = Sandbox.GitHub.GitHubStore.Resolve(repo, reference)!;
        }
    }

    private async Task<Application> AppAsync(string name) => (await _h.Store.GetApplicationAsync(name))!;

    [Fact]
    public async Task JenkinsAndTheBranchesAgreeOnASeededApplication()
    {
        var engine = Engine();
        var frontend = await AppAsync("frontend");

        var view = await engine.RunningAsync([frontend], offline: false, engine.GitHub(NullReporter.Instance), NullReporter.Instance, CancellationToken.None);

        Assert.True(view.Observation.AllKnown);
        Assert.Equal("release_12", view.Get("frontend", "integration")!.Release);
        Assert.Equal("release_11", view.Get("frontend", "staging")!.Release);
        Assert.Equal("release_10", view.Get("frontend", "production")!.Release);
        Assert.Equal(DeploymentSource.Jenkins, view.Get("frontend", "production")!.Source);
        Assert.Empty(view.DisagreementsFor("frontend"));
    }

    [Fact]
    public async Task ABranchElsewhereThanJenkinsSaysIsADisagreementNotASilentChoice()
    {
        MoveBranch("frontend", "deployed-to-staging", "release_9");
        var engine = Engine();

        var view = await engine.RunningAsync([await AppAsync("frontend")], offline: false, engine.GitHub(NullReporter.Instance), NullReporter.Instance, CancellationToken.None);

        // Jenkins' newest successful deploy wins, and the branch is named.
        Assert.Equal("release_11", view.Get("frontend", "staging")!.Release);
        var note = Assert.Single(view.DisagreementsFor("frontend"));
        Assert.Contains("staging", note);
        Assert.Contains("deployed-to-staging", note);
        Assert.Contains("release_11", note);
    }

    [Fact]
    public async Task WhereJenkinsHasNoDeployTheBranchSaysWhatRuns()
    {
        // Two releases: the seed deployed nothing to production, yet someone moved its branch.
        await _h.AddAppAsync("branch-only-app", releases: 2);
        MoveBranch("branch-only-app", "deployed-to-production", "release_1");
        var engine = Engine();
        var app = await AppAsync("branch-only-app");

        var view = await engine.RunningAsync([app], offline: false, engine.GitHub(NullReporter.Instance), NullReporter.Instance, CancellationToken.None);

        var production = view.Get("branch-only-app", "production")!;
        Assert.Equal("release_1", production.Release);
        Assert.Equal(DeploymentSource.DeployedToBranch, production.Source);
        Assert.Equal(DeploymentSource.Jenkins, view.Get("branch-only-app", "staging")!.Source);
    }

    [Fact]
    public async Task WithJenkinsUnreadableTheBranchAloneDoesNotMakeAnEnvironmentKnown()
    {
        await _h.AddAppAsync("branch-only-app", releases: 2);
        MoveBranch("branch-only-app", "deployed-to-production", "release_1");
        await _h.FaultAsync("jenkins", "down", environment: "production");
        var engine = Engine();

        var view = await engine.RunningAsync([await AppAsync("branch-only-app")], offline: false, engine.GitHub(NullReporter.Instance), NullReporter.Instance, CancellationToken.None);

        Assert.False(view.IsKnown("production"));
        Assert.Null(view.Get("branch-only-app", "production"));
        Assert.True(view.IsKnown("staging"));
    }

    [Fact]
    public async Task UndeployedChangesRefuseRatherThanCompareWithAnUnknownEnvironment()
    {
        await _h.FaultAsync("jenkins", "down", environment: "production");
        var engine = Engine();
        var frontend = await AppAsync("frontend");

        var refused = await Assert.ThrowsAsync<Errors.GovukDeployException>(() => engine.UndeployedChangesAsync(
            frontend, "production", null, engine.GitHub(NullReporter.Instance), NullReporter.Instance, CancellationToken.None));

        Assert.Equal("DeployedStateUnknown", refused.ErrorId);
        Assert.Contains("production Jenkins could not be read", refused.Message);
    }

    [Fact]
    public async Task UndeployedChangesForProductionListOtherPeoplesCommitsFromTheObservedDeploy()
    {
        var engine = Engine();

        var changes = await engine.UndeployedChangesAsync(await AppAsync("frontend"), "production", null, engine.GitHub(NullReporter.Instance), NullReporter.Instance, CancellationToken.None);

        Assert.False(changes.NeverDeployed);
        Assert.Equal("release_10", changes.Base);
        Assert.Contains(changes.Changes, c => c.IsOtherAuthor);
    }
}
