using GovukDeploy.Deploys.Gates;
using GovukDeploy.Errors;
using GovukDeploy.Jenkins;
using GovukDeploy.Observed;
using GovukDeploy.Reporting;
using GovukDeploy.Store;
using NodaTime;

namespace GovukDeploy.Tests;

/// <summary>What really runs: deploys read from the sandbox Jenkins' Deploy_App history into the store.</summary>
public sealed class DeploymentObserverTests : IAsyncLifetime
{
    private DeployHarness _h = null!;

    public async Task InitializeAsync() => _h = await DeployHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private DeploymentObserver Observer(IDeployStore? store = null, IClock? clock = null, TimeSpan? maxAge = null) =>
        new(store ?? _h.Store, _h.Jenkins(), clock ?? SystemClock.Instance, new ObserverSettings { MaxAge = maxAge ?? TimeSpan.FromSeconds(60) });

    private async Task<IReadOnlyList<Application>> CatalogueAsync() => await _h.Store.GetApplicationsAsync(ApplicationQuery.All);

    /// <summary>Runs Deploy_App in one environment's Jenkins as a person would from its page, to its end.</summary>
    private async Task<JenkinsBuildInfo> DeployInJenkinsAsync(string environment, string target, string tag, string task = "deploy")
    {
        var client = _h.Jenkins().For(environment);
        var queued = await client.TriggerAsync("Deploy_App", new Dictionary<string, string> { ["TARGET_APPLICATION"] = target, ["DEPLOY_TASK"] = task, ["TAG"] = tag }, CancellationToken.None);
        var started = await client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None);
        return await client.WatchAsync(started.Url, null, null, CancellationToken.None);
    }

    private async Task<IReadOnlyList<Deployment>> DeploymentsAsync(string application, string environment) =>
        await _h.Store.GetDeploymentsAsync(new DeploymentQuery { Applications = [application], Environment = environment });

    [Fact]
    public async Task ADeployMadeInJenkinsIsObservedWithWhoMadeItAndATaskThatIsNotADeployDoesNotChangeWhatRuns()
    {
        var deploy = await DeployInJenkinsAsync("staging", "contacts", "release_7");
        var migrate = await DeployInJenkinsAsync("staging", "contacts", "release_8", task: "app:migrate");
        Assert.Equal("SUCCESS", migrate.Result);

        var report = await Observer().SyncAsync(await CatalogueAsync(), null, CancellationToken.None);

        Assert.True(report.AllKnown);
        var seen = await DeploymentsAsync("contacts-admin", "staging");
        // Jenkins knows it by its deploy name (contacts); the store by the catalogue's name.
        var observed = Assert.Single(seen, d => d.BuildUrl == deploy.Url);
        Assert.Equal(DeploymentSource.Jenkins, observed.Source);
        Assert.Equal(_h.Server.Credentials.JenkinsUser, observed.DeployedBy);
        Assert.Equal("release_7", observed.Release);
        Assert.Equal(DeploymentStatus.Succeeded, observed.Status);
        Assert.Equal("app:migrate", Assert.Single(seen, d => d.BuildUrl == migrate.Url).DeployTask);
        Assert.Equal("release_7", (await _h.Store.GetLatestSuccessfulDeploymentAsync("contacts-admin", "staging"))!.Release);
    }

    [Fact]
    public async Task ADeployGovukDeployRanIsMatchedByItsBuildUrlAndNotRecordedTwice()
    {
        var application = (await _h.Store.GetApplicationAsync("frontend"))!;
        var ours = await _h.Runner().RunAsync(DeployHarness.Request("frontend", "integration", "release_12"), application, [], NullReporter.Instance, CancellationToken.None);

        var report = await Observer().SyncAsync(await CatalogueAsync(), null, CancellationToken.None);

        var rows = (await DeploymentsAsync("frontend", "integration")).Where(d => d.BuildUrl == ours.BuildUrl).ToList();
        var only = Assert.Single(rows);
        Assert.Equal(DeploymentSource.GovukDeploy, only.Source);
        Assert.Equal(ours.Id, only.Id);
        Assert.True(report.Environments.All(e => e.Known));
    }

    [Fact]
    public async Task ASecondSyncReadsOnlyBuildsNewerThanTheLastItSaw()
    {
        var observer = Observer();
        var catalogue = await CatalogueAsync();
        await DeployInJenkinsAsync("integration", "frontend", "release_11");
        await observer.SyncAsync(catalogue, null, CancellationToken.None);

        var again = await observer.SyncAsync(catalogue, null, CancellationToken.None);
        Assert.Equal(0, again.BuildsRead);
        Assert.Equal(0, again.Added);

        var newer = await DeployInJenkinsAsync("integration", "frontend", "release_12");
        var third = await observer.SyncAsync(catalogue, null, CancellationToken.None);
        Assert.Equal(1, third.BuildsRead);
        Assert.Equal(1, third.Added);
        Assert.Equal(newer.Url, (await _h.Store.GetLatestSuccessfulDeploymentAsync("frontend", "integration"))!.BuildUrl);
    }

    [Fact]
    public async Task ABuildStillRunningIsRecordedInProgressAndReadAgainUntilItEnds()
    {
        var observer = Observer();
        var catalogue = await CatalogueAsync();
        var client = _h.Jenkins().For("staging");
        var queued = await client.TriggerAsync("Deploy_App", new Dictionary<string, string> { ["TARGET_APPLICATION"] = "whitehall", ["DEPLOY_TASK"] = "deploy", ["TAG"] = "release_119" }, CancellationToken.None);
        var started = await client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None);

        await observer.SyncAsync(catalogue, null, CancellationToken.None);
        Assert.Equal(DeploymentStatus.InProgress, Assert.Single(await DeploymentsAsync("whitehall", "staging"), d => d.BuildUrl == started.Url).Status);

        await client.WatchAsync(started.Url, null, null, CancellationToken.None);
        var after = await observer.SyncAsync(catalogue, null, CancellationToken.None);

        Assert.Equal(1, after.Updated);
        var ended = Assert.Single(await DeploymentsAsync("whitehall", "staging"), d => d.BuildUrl == started.Url);
        Assert.Equal(DeploymentStatus.Succeeded, ended.Status);
        Assert.NotNull(ended.FinishedAt);
    }

    [Fact]
    public async Task AJenkinsThatCannotBeReadIsUnknownWhileTheOthersAreReadAndItsPreviousViewStays()
    {
        var observer = new DeploymentObserver(_h.Store, _h.Jenkins(options: DeployHarness.FastPolling with { MaxRetries = 1 }), SystemClock.Instance, new ObserverSettings());
        var catalogue = await CatalogueAsync();
        var before = await DeployInJenkinsAsync("staging", "frontend", "release_11");
        await observer.SyncAsync(catalogue, null, CancellationToken.None);
        await _h.FaultAsync("jenkins", "down", environment: "staging");
        await DeployInJenkinsAsync("integration", "frontend", "release_12");

        var report = await observer.SyncAsync(catalogue, null, CancellationToken.None);

        var staging = report.For("staging");
        Assert.False(staging.Known);
        Assert.Contains("staging Jenkins could not be read", staging.Problem);
        Assert.NotNull(staging.SyncedAt);
        Assert.True(report.For("integration").Known);
        Assert.Equal(1, report.Added);
        Assert.Equal(before.Url, (await _h.Store.GetLatestSuccessfulDeploymentAsync("frontend", "staging"))!.BuildUrl);
    }

    [Fact]
    public async Task BuildsWithoutParametersOrForApplicationsOutsideTheCatalogueAreSkippedAndCounted()
    {
        var unknown = await DeployInJenkinsAsync("production", "not-in-the-catalogue", "release_1");
        Assert.Equal("FAILURE", unknown.Result);

        var report = await Observer().SyncAsync(await CatalogueAsync(), null, CancellationToken.None);

        Assert.True(report.Skipped >= 1);
        Assert.DoesNotContain(await _h.Store.GetDeploymentsAsync(new DeploymentQuery()), d => d.BuildUrl == unknown.Url);
    }

    [Fact]
    public async Task AYoungViewIsNotReadAgainAndAnOldOneIs()
    {
        var clock = new NodaTime.Testing.FakeClock(SystemClock.Instance.GetCurrentInstant());
        await using var store = DeployStoreFactory.Open("sqlite:" + Path.Combine(Path.GetTempPath(), "govukdeploy-observer-" + Guid.NewGuid().ToString("N") + ".db"), clock: clock);
        await store.UpsertApplicationsAsync(await CatalogueAsync(), "tests");
        var observer = Observer(store, clock, TimeSpan.FromSeconds(60));
        var catalogue = await store.GetApplicationsAsync(ApplicationQuery.All);

        var first = await observer.EnsureFreshAsync(catalogue, offline: false, null, CancellationToken.None);
        Assert.False(first.FromStore);
        clock.Advance(Duration.FromSeconds(59));
        Assert.True((await observer.EnsureFreshAsync(catalogue, offline: false, null, CancellationToken.None)).FromStore);

        clock.Advance(Duration.FromSeconds(2));
        var offline = await observer.EnsureFreshAsync(catalogue, offline: true, null, CancellationToken.None);
        Assert.True(offline.FromStore);
        Assert.All(offline.Environments, e => Assert.False(e.Known));
        Assert.All(offline.Environments, e => Assert.Contains("-Offline", e.Problem));
        Assert.False((await observer.EnsureFreshAsync(catalogue, offline: false, null, CancellationToken.None)).FromStore);
    }

    [Fact]
    public async Task AViewStampedInTheFutureIsStaleNotForeverFresh()
    {
        var clock = new NodaTime.Testing.FakeClock(SystemClock.Instance.GetCurrentInstant());
        await using var store = DeployStoreFactory.Open("sqlite:" + Path.Combine(Path.GetTempPath(), "govukdeploy-observer-" + Guid.NewGuid().ToString("N") + ".db"), clock: clock);
        await store.UpsertApplicationsAsync(await CatalogueAsync(), "tests");
        var observer = Observer(store, clock);
        var catalogue = await store.GetApplicationsAsync(ApplicationQuery.All);
        await observer.EnsureFreshAsync(catalogue, offline: false, null, CancellationToken.None);

        clock.Reset(clock.GetCurrentInstant() - Duration.FromHours(1));

        Assert.False((await observer.EnsureFreshAsync(catalogue, offline: false, null, CancellationToken.None)).FromStore);
    }

    [Fact]
    public async Task AnApplicationAddedLaterIsSearchedForOnceInTheHistoryAlreadyRead()
    {
        var observer = Observer();
        await observer.SyncAsync(await CatalogueAsync(), null, CancellationToken.None);
        await _h.AddAppAsync("late-app", releases: 2);
        var late = await DeployInJenkinsAsync("production", "late-app", "release_1");

        var found = await observer.EnsureFreshAsync(await CatalogueAsync(), offline: false, null, CancellationToken.None);
        Assert.False(found.FromStore);
        Assert.Equal(late.Url, (await _h.Store.GetLatestSuccessfulDeploymentAsync("late-app", "production"))!.BuildUrl);
        Assert.True((await observer.EnsureFreshAsync(await CatalogueAsync(), offline: false, null, CancellationToken.None)).FromStore);
    }

    // ------------------------------------------------------------------ one build as a deployment

    private static readonly IReadOnlyDictionary<string, Application> Catalogue = new Dictionary<string, Application>(StringComparer.OrdinalIgnoreCase)
    {
        ["contacts"] = new() { Name = "contacts-admin", Repository = "alphagov/contacts-admin", DeployName = "contacts" },
    };

    private static JenkinsHistoryBuild Build(string? result = "SUCCESS", bool building = false, string? tag = "release_7", string? target = "contacts", string? task = "deploy",
        string? userId = null, string? upstream = null, string? cause = null) => new()
    {
        Number = 5,
        Url = "https://deploy.staging/job/Deploy_App/5/",
        Building = building,
        Result = result,
        Started = DateTimeOffset.UnixEpoch,
        Duration = TimeSpan.FromSeconds(90),
        Parameters = new Dictionary<string, string?> { ["TARGET_APPLICATION"] = target, ["TAG"] = tag, ["DEPLOY_TASK"] = task }
            .Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!),
        UserId = userId,
        UpstreamProject = upstream,
        CauseDescription = cause,
    };

    [Theory]
    [InlineData("SUCCESS", false, DeploymentStatus.Succeeded)]
    [InlineData("FAILURE", false, DeploymentStatus.Failed)]
    [InlineData("UNSTABLE", false, DeploymentStatus.Failed)]
    [InlineData("ABORTED", false, DeploymentStatus.Aborted)]
    [InlineData("NOT_BUILT", false, DeploymentStatus.Aborted)]
    [InlineData(null, true, DeploymentStatus.InProgress)]
    [InlineData("SOMETHING_NEW", false, DeploymentStatus.Failed)]
    [InlineData(null, false, DeploymentStatus.Failed)]
    public void AResultBecomesAStatus(string? result, bool building, DeploymentStatus expected) =>
        Assert.Equal(expected, DeploymentObserver.ToObserved(Build(result, building), "staging", Catalogue)!.Status);

    [Fact]
    public void OnlyASucceededDeployOfAReleaseChangesWhatRuns()
    {
        Assert.True(DeploymentObserver.ToObserved(Build(), "staging", Catalogue)!.ChangedWhatRuns);
        Assert.False(DeploymentObserver.ToObserved(Build(task: "app:migrate"), "staging", Catalogue)!.ChangedWhatRuns);
        Assert.False(DeploymentObserver.ToObserved(Build(result: "FAILURE"), "staging", Catalogue)!.ChangedWhatRuns);
        var branch = DeploymentObserver.ToObserved(Build(tag: "try-new-search"), "integration", Catalogue)!;
        Assert.True(branch.IsBranchDeploy);
        Assert.False(branch.ChangedWhatRuns);
    }

    [Theory]
    [InlineData(null, "release_7")]
    [InlineData("contacts", null)]
    [InlineData("", "release_7")]
    [InlineData("unknown-app", "release_7")]
    public void ABuildThatCannotSayWhatRanWhereIsSkipped(string? target, string? tag) =>
        Assert.Null(DeploymentObserver.ToObserved(Build(target: target, tag: tag), "staging", Catalogue));

    [Fact]
    public void WhatJenkinsSaysIsDataControlCharactersGoAndLengthIsBounded()
    {
        var sneaky = "alice\u001b[2J\nVERBOSE: Gate Freeze: Passed" + new string('x', 10_000);

        var who = DeploymentObserver.DeployedBy(Build(userId: sneaky));
        var observed = DeploymentObserver.ToObserved(Build(task: "app:migrate\u001b[31m"), "staging", Catalogue)!;

        Assert.DoesNotContain(who, char.IsControl);
        Assert.True(who.Length <= 101, $"{who.Length} characters");
        Assert.DoesNotContain(observed.DeployTask, char.IsControl);
        // A TAG no ref could have is no deploy.
        Assert.Null(DeploymentObserver.ToObserved(Build(tag: "release_7\nrelease_8"), "staging", Catalogue));
    }

    [Theory]
    [InlineData("alice-govuk", null, null, "alice-govuk")]
    [InlineData(null, "frontend/main", null, "CI")]
    [InlineData(null, null, "Started by timer", "Started by timer")]
    [InlineData(null, null, null, "unknown")]
    public void WhoDeployedIsThePersonOrCi(string? userId, string? upstream, string? cause, string expected) =>
        Assert.Equal(expected, DeploymentObserver.DeployedBy(Build(userId: userId, upstream: upstream, cause: cause)));
}
