using System.Collections;
using GovukDeploy.Errors;
using GovukDeploy.Store;
using NodaTime;
using NodaTime.Testing;

namespace GovukDeploy.Tests.Store;

/// <summary>
/// The store contract, written once and run against every backend (a subclass per backend).
/// Each test gets a fresh, empty store. Its tests are [ContractFact]s, so that a backend left out is reported skipped.
/// </summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    protected static readonly Instant Start = Instant.FromUtc(2026, 11, 26, 10, 0);

    protected FakeClock Clock { get; } = new(Start);

    private readonly List<IDeployStore> _opened = [];

    /// <summary>Prepares an empty store for this test (a temp file, a fresh schema).</summary>
    protected abstract Task PrepareAsync();

    /// <summary>Opens a handle on this test's store; several handles stand for several processes.</summary>
    protected abstract IDeployStore OpenStore(IClock clock);

    /// <summary>Runs SQL directly against this test's store (to tamper with it as another module version would).</summary>
    protected abstract Task ExecuteRawAsync(string sql);

    /// <summary>This test's store as a location string, for child processes.</summary>
    protected abstract string ChildLocation { get; }

    /// <summary>Removes what PrepareAsync made.</summary>
    protected abstract Task CleanUpAsync();

    public Task InitializeAsync() => PrepareAsync();

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
        await CleanUpAsync();
    }

    protected IDeployStore Open(IClock? clock = null)
    {
        var store = OpenStore(clock ?? Clock);
        _opened.Add(store);
        return store;
    }

    private Task Run(Func<IDeployStore, Task> test) => test(Open());

    protected static Application App(string name, string? team = "#team-a", bool retired = false, string? deployName = null, string? type = "Frontend apps") => new()
    {
        Name = name,
        Repository = $"alphagov/{name}",
        DeployName = deployName ?? name,
        Team = team,
        Type = type,
        Retired = retired,
    };

    // ------------------------------------------------------------ applications

    [ContractFact]
    public Task UpsertCountsAddedChangedAndUnchanged() => Run(async store =>
    {
        var first = await store.UpsertApplicationsAsync([App("whitehall"), App("publisher"), App("frontend")], "alice");
        Assert.Equal(new UpsertResult(3, 0, 0), first);

        var second = await store.UpsertApplicationsAsync([App("whitehall"), App("publisher", team: "#team-b"), App("content-store")], "bob");
        Assert.Equal(new UpsertResult(1, 1, 1), second);

        var publisher = await store.GetApplicationAsync("publisher");
        Assert.Equal("#team-b", publisher!.Team);
        var all = await store.GetApplicationsAsync(ApplicationQuery.All);
        Assert.Equal(["content-store", "frontend", "publisher", "whitehall"], all.Select(a => a.Name));
    });

    [ContractFact]
    public Task UpsertWritesOneAuditEventPerChangeInTheSameTransaction() => Run(async store =>
    {
        await store.UpsertApplicationsAsync([App("whitehall"), App("publisher")], "alice");
        Clock.AdvanceMinutes(1);
        await store.UpsertApplicationsAsync([App("whitehall", team: "#team-b"), App("publisher")], "bob");

        var events = await store.GetAuditEventsAsync(AuditQuery.All);
        Assert.Equal(
            [(AuditKinds.ApplicationAdded, "whitehall", "alice"), (AuditKinds.ApplicationAdded, "publisher", "alice"), (AuditKinds.ApplicationChanged, "whitehall", "bob")],
            events.Select(e => (e.Kind, e.Application, e.Actor)));
        Assert.Contains("Team: #team-a -> #team-b", events[2].Detail);
        Assert.Equal(Start.Plus(Duration.FromMinutes(1)).ToDateTimeOffset(), events[2].At);
        Assert.Equal(TimeSpan.Zero, events[2].At.Offset);
    });

    [ContractFact]
    public Task NamesMatchIgnoringCaseWithWildcards() => Run(async store =>
    {
        await store.UpsertApplicationsAsync([App("Whitehall"), App("whitehall-frontend"), App("publisher"), App("smart-answers"), App("w_x")], "alice");

        Assert.Equal("Whitehall", (await store.GetApplicationAsync("WHITEHALL"))!.Name);
        Assert.Equal(["w_x", "Whitehall", "whitehall-frontend"], Names(await store.GetApplicationsAsync(new ApplicationQuery { Names = ["W*"] })));
        Assert.Equal(["publisher"], Names(await store.GetApplicationsAsync(new ApplicationQuery { Names = ["pub?isher"] })));
        Assert.Equal(["publisher", "smart-answers"], Names(await store.GetApplicationsAsync(new ApplicationQuery { Names = ["*answers", "PUBLISHER"] })));
        // LIKE's own wildcards are literal characters in a name.
        Assert.Equal(["w_x"], Names(await store.GetApplicationsAsync(new ApplicationQuery { Names = ["w_*"] })));
        Assert.Empty(await store.GetApplicationsAsync(new ApplicationQuery { Names = ["nothing*"] }));
    });

    [ContractFact]
    public Task RetiredAppsAreHiddenUnlessAskedForAndTeamFilters() => Run(async store =>
    {
        await store.UpsertApplicationsAsync([App("panopticon", retired: true), App("whitehall", team: "#publishing"), App("frontend", team: "#frontend")], "alice");

        Assert.Equal(["frontend", "whitehall"], Names(await store.GetApplicationsAsync(ApplicationQuery.All)));
        Assert.Equal(["frontend", "panopticon", "whitehall"], Names(await store.GetApplicationsAsync(new ApplicationQuery { IncludeRetired = true })));
        Assert.Equal(["whitehall"], Names(await store.GetApplicationsAsync(new ApplicationQuery { Team = "#PUBLISHING" })));
        Assert.True((await store.GetApplicationAsync("panopticon"))!.Retired);
    });

    [ContractFact]
    public Task AddUpdateAndRemoveOneApplication() => Run(async store =>
    {
        await store.AddApplicationAsync(App("whitehall"), "alice");
        var duplicate = await Assert.ThrowsAsync<GovukDeployException>(() => store.AddApplicationAsync(App("WhiteHall"), "bob"));
        Assert.Equal("ApplicationExists", duplicate.ErrorId);
        Assert.Equal(ErrorKind.ResourceExists, duplicate.Kind);

        Assert.True(await store.UpdateApplicationAsync(App("whitehall", deployName: "whitehall-admin"), "bob"));
        Assert.False(await store.UpdateApplicationAsync(App("whitehall", deployName: "whitehall-admin"), "bob"));
        Assert.Equal("whitehall-admin", (await store.GetApplicationAsync("whitehall"))!.DeployName);

        var missing = await Assert.ThrowsAsync<GovukDeployException>(() => store.UpdateApplicationAsync(App("nope"), "bob"));
        Assert.Equal("ApplicationNotFound", missing.ErrorId);

        var removed = await store.RemoveApplicationAsync("WHITEHALL", "carol");
        Assert.Equal("whitehall", removed.Name);
        Assert.Null(await store.GetApplicationAsync("whitehall"));
        await Assert.ThrowsAsync<GovukDeployException>(() => store.RemoveApplicationAsync("whitehall", "carol"));

        // The history outlives the application.
        var history = await store.GetAuditEventsAsync(new AuditQuery { Applications = ["whitehall"] });
        Assert.Equal([AuditKinds.ApplicationAdded, AuditKinds.ApplicationChanged, AuditKinds.ApplicationRemoved], history.Select(e => e.Kind));
        Assert.Equal("carol", history[^1].Actor);
        Assert.Contains("alphagov/whitehall", history[^1].Detail);
    });

    [ContractFact]
    public Task AnImportThatFailsMidwayLeavesTheStoreAsItWas() => Run(async store =>
    {
        await store.UpsertApplicationsAsync([App("whitehall"), App("publisher")], "alice");
        var before = await store.GetApplicationsAsync(new ApplicationQuery { IncludeRetired = true });
        var eventsBefore = await store.GetAuditEventsAsync(AuditQuery.All);

        var batch = new FailingList(Enumerable.Range(0, 200).Select(i => App($"app-{i:000}")).Append(App("whitehall", team: "#changed")).ToList(), failAt: 150);
        await Assert.ThrowsAsync<IOException>(() => store.UpsertApplicationsAsync(batch, "mallory"));

        var after = await Open().GetApplicationsAsync(new ApplicationQuery { IncludeRetired = true });
        Assert.Equal(before.Select(a => (a.Name, a.Team)), after.Select(a => (a.Name, a.Team)));
        Assert.Equal(eventsBefore.Count, (await store.GetAuditEventsAsync(AuditQuery.All)).Count);
        // And the store still takes writes.
        Assert.Equal(new UpsertResult(1, 0, 0), await store.UpsertApplicationsAsync([App("frontend")], "alice"));
    });

    [ContractFact]
    public Task ACancelledImportLeavesTheStoreAsItWas() => Run(async store =>
    {
        using var cancel = new CancellationTokenSource();
        var batch = new FailingList(Enumerable.Range(0, 100).Select(i => App($"app-{i:000}")).ToList(), failAt: 50, onFail: cancel.Cancel);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.UpsertApplicationsAsync(batch, "alice", cancel.Token));
        Assert.Empty(await store.GetApplicationsAsync(ApplicationQuery.All));
        Assert.Empty(await store.GetAuditEventsAsync(AuditQuery.All));
    });

    // ------------------------------------------------------------ freezes

    [ContractFact]
    public Task FreezesAreSetManyAtOnceAndListed() => Run(async store =>
    {
        var until = Start.Plus(Duration.FromDays(2)).ToDateTimeOffset();
        var set = await store.SetFreezesAsync(
            [new("whitehall", "production", "Election", "#govuk-2ndline", until), new("publisher", "Production", "Election", "#govuk-2ndline")], "alice");
        Assert.Equal(2, set.Count);
        Assert.All(set, f => Assert.True(f.Id > 0));
        Assert.Equal("production", set[1].Environment);

        var current = await store.GetFreezesAsync(FreezeQuery.Current);
        Assert.Equal(["whitehall", "publisher"], current.Select(f => f.Application));
        var whitehall = current[0];
        Assert.Equal(("Election", "#govuk-2ndline", "alice", until, Start.ToDateTimeOffset()), (whitehall.Reason, whitehall.Contact, whitehall.SetBy, whitehall.Until!.Value, whitehall.SetAt));
        Assert.Null(whitehall.LiftedAt);

        Assert.Equal(2, (await store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.FreezeSet] })).Count);
    });

    [ContractFact]
    public Task SettingAFreezeAgainReplacesItAndKeepsTheOldAsHistory() => Run(async store =>
    {
        var first = (await store.SetFreezesAsync([new("whitehall", "production", "Incident", "alice")], "alice"))[0];
        Clock.AdvanceMinutes(5);
        var second = (await store.SetFreezesAsync([new("Whitehall", "production", "Incident, still", "bob")], "bob"))[0];

        var current = await store.GetFreezesAsync(FreezeQuery.Current);
        Assert.Equal([second.Id], current.Select(f => f.Id));
        Assert.Equal("Incident, still", current[0].Reason);

        var history = await store.GetFreezesAsync(new FreezeQuery { IncludeLifted = true });
        Assert.Equal([first.Id, second.Id], history.Select(f => f.Id));
        Assert.Equal("bob", history[0].LiftedBy);
        Assert.Equal(Clock.GetCurrentInstant().ToDateTimeOffset(), history[0].LiftedAt);
    });

    [ContractFact]
    public Task LiftingRecordsWhoAndWhen() => Run(async store =>
    {
        await store.SetFreezesAsync([new("whitehall", "staging", "r", "c"), new("whitehall", "production", "r", "c"), new("publisher", "production", "r", "c")], "alice");
        Clock.AdvanceMinutes(10);

        var lifted = await store.LiftFreezesAsync([new FreezeTarget("WHITEHALL"), new FreezeTarget("publisher", "staging")], "bob");
        Assert.Equal(2, lifted.Count);
        Assert.All(lifted, f => Assert.Equal(("bob", Clock.GetCurrentInstant().ToDateTimeOffset()), (f.LiftedBy, f.LiftedAt!.Value)));
        Assert.Equal(["publisher"], (await store.GetFreezesAsync(FreezeQuery.Current)).Select(f => f.Application));

        // Lifting what is not frozen does nothing, harmlessly.
        Assert.Empty(await store.LiftFreezesAsync([new FreezeTarget("whitehall")], "bob"));
        Assert.Equal(2, (await store.GetAuditEventsAsync(new AuditQuery { Kinds = ["freezelifted"] })).Count);
    });

    [ContractFact]
    public Task AFreezePastItsUntilIsNoLongerCurrent() => Run(async store =>
    {
        var until = Start.Plus(Duration.FromHours(1)).ToDateTimeOffset();
        await store.SetFreezesAsync([new("whitehall", "production", "r", "c", until)], "alice");

        Assert.Single(await store.GetFreezesAsync(FreezeQuery.Current));
        Assert.Empty(await store.GetFreezesAsync(new FreezeQuery { At = until }));
        Clock.AdvanceHours(2);
        Assert.Empty(await store.GetFreezesAsync(FreezeQuery.Current));
        Assert.Single(await store.GetFreezesAsync(new FreezeQuery { IncludeLifted = true }));
    });

    [ContractFact]
    public Task GlobalFreezesApplyToEveryApplication() => Run(async store =>
    {
        await store.SetFreezesAsync([new(DeployFreeze.Global, "production", "Christmas", "#govuk-2ndline"), new("whitehall", "production", "r", "c"), new("publisher", "production", "r", "c")], "alice");

        var forWhitehall = await store.GetFreezesAsync(new FreezeQuery { Applications = ["whitehall"] });
        Assert.Equal([DeployFreeze.Global, "whitehall"], forWhitehall.Select(f => f.Application));
        Assert.True(forWhitehall[0].IsGlobal);
        Assert.Equal(["whitehall"], (await store.GetFreezesAsync(new FreezeQuery { Applications = ["whitehall"], IncludeGlobal = false })).Select(f => f.Application));
        Assert.Equal([DeployFreeze.Global, "whitehall"], (await store.GetFreezesAsync(new FreezeQuery { Applications = ["WHITE*"] })).Select(f => f.Application));
        Assert.Empty(await store.GetFreezesAsync(new FreezeQuery { Environment = "staging" }));

        await store.LiftFreezesAsync([new FreezeTarget(DeployFreeze.Global)], "bob");
        Assert.Equal(["whitehall", "publisher"], (await store.GetFreezesAsync(FreezeQuery.Current)).Select(f => f.Application));
    });

    // ------------------------------------------------------------ deployments

    [ContractFact]
    public Task DeploymentsAreRecordedFromStartToFinish() => Run(async store =>
    {
        var id = await store.StartDeploymentAsync(new DeploymentStart
        {
            Application = "whitehall",
            Environment = "staging",
            Release = "release_123",
            Sha = "abc123",
            DeployedBy = "alice",
            Gates = [new GateVerdict { Gate = "Window", Outcome = GateOutcome.Passed, Detail = "open" }],
        });
        var started = (await store.GetDeploymentAsync(id))!;
        Assert.Equal((DeploymentStatus.InProgress, "release_123", Start.ToDateTimeOffset(), (DateTimeOffset?)null), (started.Status, started.Release, started.StartedAt, started.FinishedAt));
        Assert.Equal("Window", Assert.Single(started.Gates).Gate);
        Assert.Equal([id], (await store.GetDeploymentsAsync(new DeploymentQuery { InProgressOnly = true })).Select(d => d.Id));

        Clock.AdvanceMinutes(7);
        var finished = await store.FinishDeploymentAsync(id, new DeploymentFinish(DeploymentStatus.Succeeded, "Passed", "https://jenkins/job/Deploy_App/9/"), "alice");
        Assert.Equal((DeploymentStatus.Succeeded, "Passed", TimeSpan.FromMinutes(7)), (finished.Status, finished.SmokeTest, finished.Duration!.Value));
        Assert.Equal(finished.BuildUrl, (await store.GetDeploymentAsync(id))!.BuildUrl);
        Assert.Empty(await store.GetDeploymentsAsync(new DeploymentQuery { InProgressOnly = true }));

        var missing = await Assert.ThrowsAsync<GovukDeployException>(() => store.FinishDeploymentAsync(id + 1000, new DeploymentFinish(DeploymentStatus.Failed), "alice"));
        Assert.Equal(ErrorKind.ObjectNotFound, missing.Kind);
        Assert.Equal([AuditKinds.DeployStarted, AuditKinds.DeployFinished], (await store.GetAuditEventsAsync(AuditQuery.All)).Select(e => e.Kind));
    });

    [ContractFact]
    public Task DeploymentHistoryAnswersTheGatesQuestions() => Run(async store =>
    {
        async Task<long> Deploy(string app, string env, string release, DeploymentStatus status, int minutes)
        {
            var id = await store.StartDeploymentAsync(new DeploymentStart { Application = app, Environment = env, Release = release, DeployedBy = "alice" });
            Clock.AdvanceMinutes(minutes);
            await store.FinishDeploymentAsync(id, new DeploymentFinish(status), "alice");
            Clock.AdvanceMinutes(1);
            return id;
        }
        await Deploy("whitehall", "production", "release_1", DeploymentStatus.Succeeded, 5);
        var second = await Deploy("whitehall", "production", "release_2", DeploymentStatus.Succeeded, 9);
        await Deploy("whitehall", "production", "release_3", DeploymentStatus.Failed, 2);
        await Deploy("whitehall", "staging", "release_3", DeploymentStatus.Succeeded, 4);
        await Deploy("publisher", "production", "release_7", DeploymentStatus.Succeeded, 3);

        var latest = await store.GetLatestSuccessfulDeploymentAsync("Whitehall", "production");
        Assert.Equal((second, "release_2"), (latest!.Id, latest.Release));
        Assert.Null(await store.GetLatestSuccessfulDeploymentAsync("whitehall", "integration"));
        Assert.Equal([TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(5)], await store.GetRecentDeployDurationsAsync("whitehall", "production", 10));
        Assert.Equal([TimeSpan.FromMinutes(9)], await store.GetRecentDeployDurationsAsync("whitehall", "production", 1));

        Assert.Equal(["release_3", "release_2"], (await store.GetDeploymentsAsync(new DeploymentQuery { Applications = ["whitehall"], Environment = "production", Last = 2 })).Select(d => d.Release));
        Assert.Equal(5, (await store.GetDeploymentsAsync(DeploymentQuery.All)).Count);
        Assert.Equal(["release_7"], (await store.GetDeploymentsAsync(new DeploymentQuery { Applications = ["pub*"] })).Select(d => d.Release));
    });

    private static ObservedDeployment Seen(string app, string env, string release, string url, DeploymentStatus status = DeploymentStatus.Succeeded,
        DateTimeOffset? at = null, string task = "deploy", string by = "alice-govuk") => new()
    {
        Application = app,
        Environment = env,
        Release = release,
        Status = status,
        BuildUrl = url,
        StartedAt = at ?? DateTimeOffset.UnixEpoch.AddDays(20000),
        FinishedAt = status == DeploymentStatus.InProgress ? null : (at ?? DateTimeOffset.UnixEpoch.AddDays(20000)).AddMinutes(2),
        DeployedBy = by,
        DeployTask = task,
    };

    [ContractFact]
    public Task ObservedDeploysAreRecordedOnceWithTheirWatermarkAndUpdatedWhenTheyEnd() => Run(async store =>
    {
        var t0 = DateTimeOffset.Parse("2026-11-30T10:00:00Z");
        var first = await store.RecordObservedAsync(new ObservedBatch
        {
            SourceKey = "jenkins:staging:https://deploy.staging/",
            Environment = "Staging",
            LastNumber = 41,
            Deployments =
            [
                Seen("whitehall", "staging", "release_5", "https://deploy.staging/job/Deploy_App/40/", at: t0),
                Seen("whitehall", "staging", "release_6", "https://deploy.staging/job/Deploy_App/41/", at: t0.AddHours(1), task: "app:migrate"),
                Seen("whitehall", "staging", "release_6", "https://deploy.staging/job/Deploy_App/42/", DeploymentStatus.InProgress, at: t0.AddHours(2)),
            ],
            SearchedApplications = ["Whitehall"],
        });
        Assert.Equal(new ObservedBatchResult(3, 0, 0), first);

        // The running build ends; the others are read again and change nothing.
        var second = await store.RecordObservedAsync(new ObservedBatch
        {
            SourceKey = "jenkins:staging:https://deploy.staging/",
            Environment = "staging",
            LastNumber = 42,
            Deployments =
            [
                Seen("whitehall", "staging", "release_5", "https://deploy.staging/job/Deploy_App/40/", at: t0),
                Seen("whitehall", "staging", "release_6", "https://deploy.staging/job/Deploy_App/42/", DeploymentStatus.Failed, at: t0.AddHours(2)),
            ],
        });
        Assert.Equal(new ObservedBatchResult(0, 1, 0), second);

        var all = await store.GetDeploymentsAsync(new DeploymentQuery { Applications = ["whitehall"] });
        Assert.Equal(3, all.Count);
        Assert.All(all, d => Assert.Equal(DeploymentSource.Jenkins, d.Source));
        Assert.Equal(DeploymentStatus.Failed, all.Single(d => d.BuildUrl!.EndsWith("/42/")).Status);
        // A migration and a failed deploy do not change what runs.
        Assert.Equal("release_5", (await store.GetLatestSuccessfulDeploymentAsync("whitehall", "staging"))!.Release);
        Assert.Equal(["release_5"], (await store.GetLatestSuccessfulDeploymentsAsync(["WHITEHALL"])).Select(d => d.Release));

        var state = Assert.Single(await store.GetSyncStatesAsync());
        Assert.Equal(("staging", 42L), (state.Environment, state.LastNumber));
        Assert.Contains("whitehall", state.SearchedApplications);
    });

    [ContractFact]
    public Task OurDeployIsListedOnceWhetherTheSyncSawItsBuildBeforeOrAfterItWasRecorded() => Run(async store =>
    {
        const string before = "https://deploy.production/job/Deploy_App/7/";
        await store.RecordObservedAsync(new ObservedBatch
        {
            SourceKey = "jenkins:production:x", Environment = "production", LastNumber = 7,
            Deployments = [Seen("frontend", "production", "release_3", before, DeploymentStatus.InProgress)],
        });
        var ours = await store.StartDeploymentAsync(new DeploymentStart { Application = "frontend", Environment = "production", Release = "release_3", BuildUrl = before, DeployedBy = "bob" });

        const string after = "https://deploy.production/job/Deploy_App/8/";
        var oursToo = await store.StartDeploymentAsync(new DeploymentStart { Application = "frontend", Environment = "production", Release = "release_4", BuildUrl = after, DeployedBy = "bob" });
        var result = await store.RecordObservedAsync(new ObservedBatch
        {
            SourceKey = "jenkins:production:x", Environment = "production", LastNumber = 8,
            Deployments = [Seen("frontend", "production", "release_4", after, DeploymentStatus.Succeeded)],
        });

        Assert.Equal(new ObservedBatchResult(0, 0, 1), result);
        var listed = await store.GetDeploymentsAsync(new DeploymentQuery { Applications = ["frontend"] });
        Assert.Equal([oursToo, ours], listed.Select(d => d.Id));
        Assert.All(listed, d => Assert.Equal(DeploymentSource.GovukDeploy, d.Source));
        // Ours is finished by whoever follows it, never by the sync.
        Assert.Equal(DeploymentStatus.InProgress, listed[0].Status);
    });

    [ContractFact]
    public Task TheNewestSuccessfulDeployOfEachApplicationAndEnvironmentComesInOneQuery() => Run(async store =>
    {
        var t0 = DateTimeOffset.Parse("2026-11-30T10:00:00Z");
        await store.RecordObservedAsync(new ObservedBatch
        {
            SourceKey = "jenkins:integration:x", Environment = "integration", LastNumber = 4,
            Deployments =
            [
                Seen("frontend", "integration", "release_1", "u/1", at: t0),
                Seen("frontend", "integration", "release_2", "u/2", at: t0.AddHours(1)),
                Seen("frontend", "integration", "release_3", "u/3", DeploymentStatus.Aborted, at: t0.AddHours(2)),
                Seen("whitehall", "integration", "release_9", "u/4", at: t0),
            ],
        });

        var newest = await store.GetLatestSuccessfulDeploymentsAsync(null);
        Assert.Equal(["frontend release_2", "whitehall release_9"], newest.Select(d => $"{d.Application} {d.Release}").Order());
        Assert.Equal(["release_9"], (await store.GetLatestSuccessfulDeploymentsAsync(["whitehall"])).Select(d => d.Release));
    });

    [ContractFact]
    public Task OverriddenGatesAreAuditedWithTheDeployAndItsReason() => Run(async store =>
    {
        var id = await store.StartDeploymentAsync(new DeploymentStart
        {
            Application = "whitehall",
            Environment = "production",
            Release = "release_9",
            DeployedBy = "alice",
            OverrideReason = "Security fix agreed with #govuk-2ndline",
            Gates =
            [
                new GateVerdict { Gate = "Window", Outcome = GateOutcome.Overridden, Detail = "closed after 17:00" },
                new GateVerdict { Gate = "Freeze", Outcome = GateOutcome.Passed, Detail = "not frozen" },
            ],
        });
        var overridden = Assert.Single(await store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.GateOverridden] }));
        Assert.Equal(("alice", "whitehall", "production"), (overridden.Actor, overridden.Application, overridden.Environment));
        Assert.Contains("Window", overridden.Detail);
        Assert.Contains($"#{id}", overridden.Detail);
        Assert.Contains("Security fix agreed with #govuk-2ndline", overridden.Detail);
    });

    [ContractFact]
    public Task ADeployRecordedWhileQueuedIsFoundByAnotherSessionAndGetsItsBuildLater() => Run(async store =>
    {
        var id = await store.StartDeploymentAsync(new DeploymentStart
        {
            Application = "whitehall", Environment = "staging", Release = "release_9", DeployedBy = "alice",
            QueueUrl = "https://deploy.staging/queue/item/4711/",
        });

        // Another process (a new session after a crash) finds it in progress, queued, with no build yet.
        var other = Open();
        var queued = Assert.Single(await other.GetDeploymentsAsync(new DeploymentQuery { InProgressOnly = true }));
        Assert.Equal((id, "https://deploy.staging/queue/item/4711/", (string?)null), (queued.Id, queued.QueueUrl, queued.BuildUrl));
        Assert.Contains("queue/item/4711", Assert.Single(await store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.DeployStarted] })).Detail);

        var attached = await other.AttachDeploymentBuildAsync(id, "https://deploy.staging/job/Deploy_App/77/");
        Assert.Equal(("https://deploy.staging/job/Deploy_App/77/", DeploymentStatus.InProgress), (attached.BuildUrl, attached.Status));
        var read = (await store.GetDeploymentAsync(id))!;
        Assert.Equal(("https://deploy.staging/job/Deploy_App/77/", "https://deploy.staging/queue/item/4711/"), (read.BuildUrl, read.QueueUrl));

        var missing = await Assert.ThrowsAsync<GovukDeployException>(() => store.AttachDeploymentBuildAsync(id + 1000, "https://deploy.staging/job/Deploy_App/78/"));
        Assert.Equal("DeploymentNotFound", missing.ErrorId);
    });

    [ContractFact]
    public Task AnObservedCopyOfABuildGivesWayWhenItsQueuedDeployIsToldOfIt() => Run(async store =>
    {
        const string build = "https://deploy.staging/job/Deploy_App/77/";
        var id = await store.StartDeploymentAsync(new DeploymentStart
        {
            Application = "whitehall", Environment = "staging", Release = "release_9", DeployedBy = "alice", QueueUrl = "https://deploy.staging/queue/item/4711/",
        });
        // A sync read Jenkins after the build started but before the deploy's session learnt its URL.
        await store.RecordObservedAsync(new ObservedBatch
        {
            SourceKey = "jenkins:staging:https://deploy.staging/", Environment = "staging", LastNumber = 76,
            Deployments =
            [
                new ObservedDeployment
                {
                    Application = "whitehall", Environment = "staging", Release = "release_9", Status = DeploymentStatus.InProgress,
                    BuildUrl = build, StartedAt = Start.ToDateTimeOffset(), DeployedBy = "alice",
                },
            ],
        });
        Assert.Equal(2, (await store.GetDeploymentsAsync(DeploymentQuery.All)).Count);

        await store.AttachDeploymentBuildAsync(id, build);

        var only = Assert.Single(await store.GetDeploymentsAsync(DeploymentQuery.All));
        Assert.Equal((id, DeploymentSource.GovukDeploy, build), (only.Id, only.Source, only.BuildUrl));
    });

    [ContractFact]
    public Task ARollbackIsRecordedWithTheDeployItUndoesAndAudited() => Run(async store =>
    {
        var id = await store.StartDeploymentAsync(new DeploymentStart
        {
            Application = "whitehall", Environment = "production", Release = "release_8", DeployedBy = "alice",
            IsRollback = true,
            RollsBack = "https://deploy.production/job/Deploy_App/12/",
            RollbackDetail = "error rate up since release_9. The window gate passed for a rollback: incidents do not keep office hours",
        });

        var read = (await Open().GetDeploymentAsync(id))!;
        Assert.True(read.IsRollback);
        Assert.Equal("https://deploy.production/job/Deploy_App/12/", read.RollsBack);
        var audited = Assert.Single(await store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.RollbackStarted] }));
        Assert.Equal(("alice", "whitehall", "production"), (audited.Actor, audited.Application, audited.Environment));
        Assert.Contains($"#{id}", audited.Detail);
        Assert.Contains("release_8", audited.Detail);
        Assert.Contains("Deploy_App/12/", audited.Detail);
        Assert.Contains("error rate up since release_9", audited.Detail);
        Assert.Contains("incidents do not keep office hours", audited.Detail);

        // An ordinary deploy is not a rollback.
        var plain = await store.StartDeploymentAsync(new DeploymentStart { Application = "whitehall", Environment = "staging", Release = "release_9", DeployedBy = "alice" });
        Assert.Equal((false, (string?)null), ((await store.GetDeploymentAsync(plain))!.IsRollback, (await store.GetDeploymentAsync(plain))!.RollsBack));
        Assert.Single(await store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.RollbackStarted] }));
    });

    [ContractFact]
    public Task WhoStoppedADeployAndWhyIsAuditedWithItsFinish() => Run(async store =>
    {
        var id = await store.StartDeploymentAsync(new DeploymentStart { Application = "whitehall", Environment = "production", Release = "release_9", DeployedBy = "alice" });

        var stopped = await store.FinishDeploymentAsync(id, new DeploymentFinish(DeploymentStatus.Aborted, Note: "stopped with Stop-Deployment: hung on a migration"), "bob");

        Assert.Equal(DeploymentStatus.Aborted, stopped.Status);
        var finished = (await store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.DeployFinished] })).Single();
        Assert.Equal("bob", finished.Actor);
        Assert.Contains("Aborted", finished.Detail);
        Assert.Contains("stopped with Stop-Deployment: hung on a migration", finished.Detail);
    });

    [ContractFact]
    public Task AStoreMadeBeforeQueueItemsAndRollbacksIsMigratedKeepingItsDeploys() => Run(async store =>
    {
        var id = await store.StartDeploymentAsync(new DeploymentStart { Application = "whitehall", Environment = "production", Release = "release_9", DeployedBy = "alice", BuildUrl = "https://j/1/" });
        // Take the store back to the schema before this migration, as an older module left it.
        var version = GovukDeploy.Store.Sql.Migrations.All.Single(m => m.Script.Contains("queue_url")).Version;
        await RollBackSchemaToAsync(version);

        var reopened = Open();
        var old = (await reopened.GetDeploymentAsync(id))!;
        Assert.Equal(("release_9", "https://j/1/", (string?)null, false, (string?)null), (old.Release, old.BuildUrl, old.QueueUrl, old.IsRollback, old.RollsBack));
        var queued = await reopened.StartDeploymentAsync(new DeploymentStart { Application = "whitehall", Environment = "production", Release = "release_10", DeployedBy = "alice", QueueUrl = "https://j/queue/item/5/" });
        Assert.Equal("https://j/queue/item/5/", (await reopened.GetDeploymentAsync(queued))!.QueueUrl);
    });

    [ContractFact]
    public Task ALockHeldWhenTheStoreLearntRenewalsIsFreedOnlyByItsLease() => Run(async store =>
    {
        var lease = TimeSpan.FromMinutes(10);
        Assert.True((await store.TryAcquireLockAsync("whitehall", "production", "alice", lease, TimeSpan.FromSeconds(30))).Acquired);
        // An older module took this lock: it promised no renewals, and its renewals are not recorded.
        var version = GovukDeploy.Store.Sql.Migrations.All.Single(m => m.Script.Contains("renewal_interval_ms")).Version;
        await RollBackSchemaToAsync(version);

        var reopened = Open();
        var held = (await reopened.GetLockAsync("whitehall", "production"))!;
        Assert.Equal(("alice", (DateTimeOffset?)null, (TimeSpan?)null), (held.Owner, held.RenewedAt, held.RenewalInterval));
        Clock.AdvanceMinutes(9);
        Assert.False((await reopened.TryAcquireLockAsync("whitehall", "production", "bob", lease, TimeSpan.FromSeconds(30))).Acquired);
        Clock.AdvanceMinutes(1);
        var takeover = await reopened.TryAcquireLockAsync("whitehall", "production", "bob", lease, TimeSpan.FromSeconds(30));
        Assert.Equal("alice", takeover.TakenOverFrom!.Owner);
        Assert.Contains("alice (its lease ran until 2026-11-26 10:10:00 UTC)", Assert.Single(await reopened.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.DeployLockTakenOver] })).Detail);
    });

    /// <summary>Undoes every migration from <paramref name="version"/> on (they only add columns), as an older module left the store.</summary>
    private async Task RollBackSchemaToAsync(int version)
    {
        foreach (var migration in GovukDeploy.Store.Sql.Migrations.All.Where(m => m.Version >= version).OrderByDescending(m => m.Version))
        {
            foreach (System.Text.RegularExpressions.Match added in System.Text.RegularExpressions.Regex.Matches(migration.Script, @"ALTER TABLE (\w+) ADD COLUMN (\w+)"))
            {
                await ExecuteRawAsync($"ALTER TABLE {added.Groups[1].Value} DROP COLUMN {added.Groups[2].Value}");
            }
        }

        await ExecuteRawAsync($"DELETE FROM schema_version WHERE version >= {version}");
    }

    // ------------------------------------------------------------ audit

    [ContractFact]
    public Task AuditEventsAreQueriedByApplicationSinceAndKind() => Run(async store =>
    {
        await store.AppendAuditEventAsync(new AuditEntry("alice", AuditKinds.GateOverridden, "Window gate overridden: urgent fix", "whitehall", "Production"));
        Clock.AdvanceHours(1);
        var since = Clock.GetCurrentInstant().ToDateTimeOffset();
        await store.UpsertApplicationsAsync([App("publisher")], "bob");
        await store.SetFreezesAsync([new("whitehall", "production", "r", "c")], "carol");

        var all = await store.GetAuditEventsAsync(AuditQuery.All);
        Assert.Equal(3, all.Count);
        Assert.True(all[0].Id < all[1].Id && all[1].Id < all[2].Id);
        Assert.Equal("production", all[0].Environment);

        Assert.Equal([AuditKinds.GateOverridden, AuditKinds.FreezeSet], (await store.GetAuditEventsAsync(new AuditQuery { Applications = ["whitehall"] })).Select(e => e.Kind));
        Assert.Equal(["bob", "carol"], (await store.GetAuditEventsAsync(new AuditQuery { Since = since })).Select(e => e.Actor));
        Assert.Equal(["alice"], (await store.GetAuditEventsAsync(new AuditQuery { Kinds = ["GateOverridden"] })).Select(e => e.Actor));
        Assert.Equal(["carol"], (await store.GetAuditEventsAsync(new AuditQuery { Last = 1 })).Select(e => e.Actor));
    });

    // ------------------------------------------------------------ deploy locks

    [ContractFact]
    public Task ADeployLockIsExclusiveUntilReleased() => Run(async store =>
    {
        var lease = TimeSpan.FromMinutes(10);
        var first = await store.TryAcquireLockAsync("whitehall", "production", "alice@host1", lease);
        Assert.True(first.Acquired);
        Assert.Equal(Start.ToDateTimeOffset() + lease, first.Holder.ExpiresAt);

        var second = await Open().TryAcquireLockAsync("WHITEHALL", "production", "bob@host2", lease);
        Assert.False(second.Acquired);
        Assert.Equal("alice@host1", second.Holder.Owner);
        Assert.True((await store.TryAcquireLockAsync("whitehall", "staging", "bob@host2", lease)).Acquired);

        await store.ReleaseLockAsync("whitehall", "production", "bob@host2"); // not bob's: nothing happens
        Assert.Equal("alice@host1", (await store.GetLockAsync("whitehall", "production"))!.Owner);
        await store.ReleaseLockAsync("whitehall", "production", "alice@host1");
        await store.ReleaseLockAsync("whitehall", "production", "alice@host1"); // idempotent
        Assert.Null(await store.GetLockAsync("whitehall", "production"));
        Assert.True((await store.TryAcquireLockAsync("whitehall", "production", "bob@host2", lease)).Acquired);
    });

    [ContractFact]
    public Task AnExpiredLeaseMayBeTakenOverAndRenewalsExtendIt() => Run(async store =>
    {
        var lease = TimeSpan.FromMinutes(10);
        Assert.True((await store.TryAcquireLockAsync("whitehall", "production", "alice", lease)).Acquired);
        Clock.AdvanceMinutes(8);
        Assert.True(await store.RenewLockAsync("whitehall", "production", "alice", lease));
        Clock.AdvanceMinutes(8);
        Assert.False((await store.TryAcquireLockAsync("whitehall", "production", "bob", lease)).Acquired);

        Clock.AdvanceMinutes(3); // alice's process died: her lease runs out
        var takeover = await store.TryAcquireLockAsync("whitehall", "production", "bob", lease);
        Assert.True(takeover.Acquired);
        Assert.Equal(Clock.GetCurrentInstant().ToDateTimeOffset(), takeover.Holder.AcquiredAt);
        Assert.Equal("alice", takeover.TakenOverFrom!.Owner);
        Assert.False(await store.RenewLockAsync("whitehall", "production", "alice", lease));
        await store.ReleaseLockAsync("whitehall", "production", "alice");
        Assert.Equal("bob", (await store.GetLockAsync("whitehall", "production"))!.Owner);
        Assert.Single(await store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.DeployLockTakenOver] }));
    });

    [ContractFact]
    public Task ALiveLockRenewedRecentlyIsNotTakenOver() => Run(async store =>
    {
        var lease = TimeSpan.FromHours(1);
        var every = TimeSpan.FromSeconds(30);
        Assert.True((await store.TryAcquireLockAsync("whitehall", "production", "alice", lease, every)).Acquired);
        for (var i = 0; i < 4; i++)
        {
            Clock.AdvanceSeconds(50); // later than one interval, but never twice: alice is alive
            Assert.True(await store.RenewLockAsync("whitehall", "production", "alice", lease));
        }
        Clock.AdvanceSeconds(59);

        var attempt = await Open().TryAcquireLockAsync("whitehall", "production", "bob", lease, every);
        Assert.False(attempt.Acquired);
        Assert.Null(attempt.TakenOverFrom);
        Assert.Equal("alice", attempt.Holder.Owner);
        Assert.Equal(Start.ToDateTimeOffset() + TimeSpan.FromSeconds(200), attempt.Holder.RenewedAt);
        Assert.Equal(every, attempt.Holder.RenewalInterval);
        Assert.Empty(await store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.DeployLockTakenOver] }));
    });

    [ContractFact]
    public Task ALockWhoseHolderStoppedRenewingIsTakenOverAndSaysWhoseItWas() => Run(async store =>
    {
        var lease = TimeSpan.FromHours(1);
        var every = TimeSpan.FromSeconds(30);
        Assert.True((await store.TryAcquireLockAsync("whitehall", "production", "alice@host1:42", lease, every)).Acquired);
        Clock.AdvanceSeconds(25);
        Assert.True(await store.RenewLockAsync("whitehall", "production", "alice@host1:42", lease));
        var lastRenewal = Clock.GetCurrentInstant().ToDateTimeOffset();
        Clock.AdvanceSeconds(61); // alice's process was killed: no renewal for more than twice the interval, long before her lease ends

        var takeover = await Open().TryAcquireLockAsync("whitehall", "production", "bob@host2:7", lease, every);
        Assert.True(takeover.Acquired);
        Assert.Equal("bob@host2:7", takeover.Holder.Owner);
        Assert.Equal(Clock.GetCurrentInstant().ToDateTimeOffset(), takeover.Holder.AcquiredAt);
        Assert.Equal("alice@host1:42", takeover.TakenOverFrom!.Owner);
        Assert.Equal(lastRenewal, takeover.TakenOverFrom.RenewedAt);

        var audit = Assert.Single(await store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.DeployLockTakenOver] }));
        Assert.Equal("bob@host2:7", audit.Actor);
        Assert.Equal("production", audit.Environment);
        Assert.Contains("alice@host1:42", audit.Detail);
        Assert.Contains("2026-11-26 10:00:25 UTC", audit.Detail); // when alice last renewed

        // alice, had she only been paused, learns that the lock is no longer hers and cannot free bob's.
        Assert.False(await store.RenewLockAsync("whitehall", "production", "alice@host1:42", lease));
        await store.ReleaseLockAsync("whitehall", "production", "alice@host1:42");
        Assert.Equal("bob@host2:7", (await store.GetLockAsync("whitehall", "production"))!.Owner);
    });

    [ContractFact]
    public Task ALockSilentForExactlyTwiceItsIntervalIsNotTakenOver() => Run(async store =>
    {
        var lease = TimeSpan.FromHours(1);
        var every = TimeSpan.FromSeconds(30);
        Assert.True((await store.TryAcquireLockAsync("whitehall", "production", "alice", lease, every)).Acquired);
        Clock.AdvanceSeconds(60);
        var atBoundary = await store.TryAcquireLockAsync("whitehall", "production", "bob", lease, every);
        Assert.False(atBoundary.Acquired);
        Assert.False(atBoundary.Holder.IsAbandonedAt(Clock.GetCurrentInstant().ToDateTimeOffset()));

        Clock.AdvanceMilliseconds(1);
        var after = await store.TryAcquireLockAsync("whitehall", "production", "bob", lease, every);
        Assert.True(after.Acquired);
        Assert.Equal("alice", after.TakenOverFrom!.Owner);
    });

    [ContractFact]
    public Task ALockTakenWithoutARenewalPromiseIsFreedOnlyByExpiry() => Run(async store =>
    {
        var lease = TimeSpan.FromMinutes(10);
        Assert.True((await store.TryAcquireLockAsync("whitehall", "production", "alice", lease)).Acquired);
        Clock.AdvanceMinutes(9);
        Assert.False((await store.TryAcquireLockAsync("whitehall", "production", "bob", lease, TimeSpan.FromSeconds(1))).Acquired);
        Clock.AdvanceMinutes(1);
        var takeover = await store.TryAcquireLockAsync("whitehall", "production", "bob", lease, TimeSpan.FromSeconds(1));
        Assert.True(takeover.Acquired);
        Assert.Contains("lease ran out", Assert.Single(await store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.DeployLockTakenOver] })).Detail);
    });

    [ContractFact]
    public Task TwoTakersOfAnAbandonedLockNeverBothWin() => Run(async store =>
    {
        var lease = TimeSpan.FromHours(1);
        var every = TimeSpan.FromSeconds(30);
        const int rounds = 4, takers = 6;
        for (var round = 0; round < rounds; round++)
        {
            var dead = $"dead-{round}";
            Assert.True((await store.TryAcquireLockAsync("whitehall", "production", dead, lease, every)).Acquired);
            Clock.AdvanceSeconds(61);
            var handles = Enumerable.Range(0, takers).Select(_ => Open()).ToList();
            await Task.WhenAll(handles.Select(h => h.InitializeAsync()));
            using var start = new ManualResetEventSlim();
            var attempts = handles.Select((h, i) => Task.Run(async () =>
            {
                start.Wait();
                return await h.TryAcquireLockAsync("whitehall", "production", $"taker-{round}-{i}", lease, every);
            })).ToList();
            start.Set();
            var results = await Task.WhenAll(attempts);

            var winner = Assert.Single(results, r => r.Acquired);
            Assert.Equal(dead, winner.TakenOverFrom!.Owner);
            Assert.All(results.Where(r => !r.Acquired), r => Assert.Equal(winner.Holder.Owner, r.Holder.Owner));
            Assert.Equal(winner.Holder.Owner, (await store.GetLockAsync("whitehall", "production"))!.Owner);
            await store.ReleaseLockAsync("whitehall", "production", winner.Holder.Owner);
        }
        Assert.Equal(rounds, (await store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.DeployLockTakenOver] })).Count);
    });

    // ------------------------------------------------------------ migrations

    [ContractFact]
    public Task AStoreFromANewerModuleIsRefusedAndNotModified() => Run(async store =>
    {
        await store.UpsertApplicationsAsync([App("whitehall")], "alice");
        await ExecuteRawAsync("INSERT INTO schema_version (version, description, applied_at) VALUES (999, 'from the future', 0)");

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => Open().GetApplicationsAsync(ApplicationQuery.All));
        Assert.Equal("StoreSchemaTooNew", error.ErrorId);
        Assert.Contains("999", error.Message);
        Assert.Contains("Upgrade", error.Message);

        await ExecuteRawAsync("DELETE FROM schema_version WHERE version = 999");
        Assert.Single(await Open().GetApplicationsAsync(ApplicationQuery.All));
    });

    [ContractFact]
    public Task ManyProcessesOpeningANewStoreAtOnceMigrateItOnce() => Run(async _ =>
    {
        var stores = Enumerable.Range(0, 6).Select(_ => Open()).ToList();
        await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync())));
        await Task.WhenAll(stores.Select((s, i) => Task.Run(() => s.UpsertApplicationsAsync([App($"app-{i}")], "alice"))));
        Assert.Equal(6, (await Open().GetApplicationsAsync(ApplicationQuery.All)).Count);
    });

    // ------------------------------------------------------------ concurrency

    [ContractFact]
    public Task ConcurrentWritersLoseNothing() => Run(async _ =>
    {
        const int writers = 6, perWriter = 15;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var store = Open();
            for (var i = 0; i < perWriter; i++)
            {
                await store.UpsertApplicationsAsync([App($"app-{w}-{i}"), App("shared", team: $"#team-{w}")], $"writer-{w}");
                await store.SetFreezesAsync([new($"app-{w}-{i}", "production", "r", "c"), new("shared", "production", $"by {w}", "c")], $"writer-{w}");
                if (i % 3 == 0)
                {
                    await store.LiftFreezesAsync([new FreezeTarget($"app-{w}-{i}")], $"writer-{w}");
                }
            }
        })));

        var reader = Open();
        Assert.Equal(writers * perWriter + 1, (await reader.GetApplicationsAsync(ApplicationQuery.All)).Count);
        var current = await reader.GetFreezesAsync(FreezeQuery.Current);
        Assert.Equal(writers * perWriter - writers * ((perWriter + 2) / 3) + 1, current.Count);
        Assert.Single(current, f => f.Application == "shared");
        var history = await reader.GetFreezesAsync(new FreezeQuery { IncludeLifted = true });
        Assert.Equal(writers * perWriter * 2, history.Count);
        var freezeEvents = await reader.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.FreezeSet] });
        Assert.Equal(writers * perWriter * 2, freezeEvents.Count);
    });

    [ContractFact]
    public Task ConcurrentLockersNeverHoldTheLockTogether() => Run(async _ =>
    {
        const int workers = 6, rounds = 8;
        var inside = 0;
        var overlaps = 0;
        var acquisitions = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var store = Open(SystemClock.Instance);
            var owner = $"worker-{w}";
            for (var done = 0; done < rounds;)
            {
                var attempt = await store.TryAcquireLockAsync("whitehall", "production", owner, TimeSpan.FromMinutes(5));
                if (!attempt.Acquired)
                {
                    await Task.Delay(Random.Shared.Next(1, 5));
                    continue;
                }
                if (Interlocked.Increment(ref inside) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }
                await Task.Delay(2);
                Interlocked.Decrement(ref inside);
                Interlocked.Increment(ref acquisitions);
                await store.ReleaseLockAsync("whitehall", "production", owner);
                done++;
            }
        })));
        Assert.Equal(0, overlaps);
        Assert.Equal(workers * rounds, acquisitions);
    });

    // ------------------------------------------------------------ other processes

    [ContractFact]
    public Task AnImportKilledHalfWayLeavesTheStoreAsItWas() => Run(async store =>
    {
        await store.UpsertApplicationsAsync([App("whitehall")], "alice");
        var marker = Path.Combine(Path.GetTempPath(), $"govuk-deploy-killed-{Guid.NewGuid():N}");
        using var child = Worker.Start(StoreWorker.ImportUntilKilled, ChildLocation, "400", marker);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!File.Exists(marker) && !child.Process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            Assert.True(File.Exists(marker), $"the importer never got half way: {child.Errors}");
            child.Process.Kill(entireProcessTree: true);
            await child.Process.WaitForExitAsync();
        }
        finally
        {
            File.Delete(marker);
        }

        var reader = Open();
        Assert.Equal(["whitehall"], Names(await reader.GetApplicationsAsync(new ApplicationQuery { IncludeRetired = true })));
        Assert.Empty((await reader.GetAuditEventsAsync(AuditQuery.All)).Where(e => e.Actor == "doomed"));
        // The dead writer's lock on the store died with it.
        Assert.Equal(new UpsertResult(1, 0, 0), await reader.UpsertApplicationsAsync([App("frontend")], "alice"));
    });

    [ContractFact]
    public Task SeveralProcessesWritingAtOnceLoseNothing() => Run(async store =>
    {
        const int workers = 4, rounds = 4;
        await store.InitializeAsync();
        var children = Enumerable.Range(0, workers).Select(w => Worker.Start(StoreWorker.Stress, ChildLocation, $"{w}", $"{rounds}")).ToList();
        try
        {
            foreach (var child in children)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
                await child.Process.WaitForExitAsync(timeout.Token);
                Assert.True(child.Process.ExitCode == 0, $"a worker failed: {child.Errors}");
            }
        }
        finally
        {
            foreach (var child in children)
            {
                if (!child.Process.HasExited)
                {
                    child.Process.Kill(entireProcessTree: true);
                }
                child.Dispose();
            }
        }

        Assert.Equal(workers * rounds + 1, (await store.GetApplicationsAsync(ApplicationQuery.All)).Count);
        var current = await store.GetFreezesAsync(FreezeQuery.Current);
        Assert.Equal(workers * (rounds / 2) + 1, current.Count);
        Assert.Equal(workers * rounds * 2, (await store.GetFreezesAsync(new FreezeQuery { IncludeLifted = true })).Count);
        Assert.Equal(workers * rounds * 2, (await store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.FreezeSet] })).Count);

        var lockEvents = await store.GetAuditEventsAsync(new AuditQuery { Kinds = [StoreWorker.LockEntered, StoreWorker.LockLeft] });
        Assert.Equal(workers * rounds * 2, lockEvents.Count);
        for (var i = 0; i < lockEvents.Count; i += 2)
        {
            // Nobody entered while another held the lock.
            Assert.Equal((StoreWorker.LockEntered, StoreWorker.LockLeft), (lockEvents[i].Kind, lockEvents[i + 1].Kind));
            Assert.Equal(lockEvents[i].Actor, lockEvents[i + 1].Actor);
        }
    });

    // ------------------------------------------------------------ confidential mode

    [ContractFact]
    public Task ConfidentialModeGoesOnAndOffAuditedAndListsWhatWentOutMeanwhile() => Run(async store =>
    {
        await store.UpsertApplicationsAsync([App("frontend"), App("whitehall")], "alice");
        var before = await StartAndFinishAsync(store, "frontend", "release_11");
        Clock.AdvanceMinutes(5);

        var on = await store.SetConfidentialAsync(new ConfidentialRequest { Application = "FRONTEND", On = true, Reason = "Incident 42", Visibility = RepositoryVisibility.Public }, "alice");
        Assert.True(on.Changed);
        Assert.True(on.Application.Confidential);
        Assert.Equal(Clock.GetCurrentInstant().ToDateTimeOffset(), on.Application.ConfidentialSince);
        Assert.Equal("alice", on.Application.ConfidentialSetBy);
        Assert.Equal(RepositoryVisibility.Public, (await store.GetApplicationAsync("frontend"))!.VisibilityWhenConfidential);
        // Asking again changes nothing and writes nothing.
        Assert.False((await store.SetConfidentialAsync(new ConfidentialRequest { Application = "frontend", On = true, Reason = "again" }, "bob")).Changed);
        // An import of the catalogue leaves the mode as it is.
        await store.UpsertApplicationsAsync([App("frontend", team: "#team-b")], "carol");
        Assert.True((await store.GetApplicationAsync("frontend"))!.Confidential);

        Clock.AdvanceMinutes(1);
        var during = await StartAndFinishAsync(store, "frontend", "0123456789abcdef0123456789abcdef01234567", branch: true, confidential: true);
        await StartAndFinishAsync(store, "whitehall", "release_3");
        Clock.AdvanceMinutes(1);
        var off = await store.SetConfidentialAsync(new ConfidentialRequest { Application = "frontend", On = false, Reason = "Fixed" }, "bob");

        Assert.True(off.Changed);
        Assert.False(off.Application.Confidential);
        Assert.Null(off.Application.ConfidentialSince);
        Assert.Equal(RepositoryVisibility.Public, off.VisibilityWhenOn);
        Assert.Equal("alice", off.WasOnBy);
        Assert.Equal([during.Id], off.DeployedWhileConfidential.Select(d => d.Id));
        Assert.True(off.DeployedWhileConfidential[0].Confidential);
        Assert.DoesNotContain(before.Id, off.DeployedWhileConfidential.Select(d => d.Id));
        Assert.False((await store.GetApplicationAsync("frontend"))!.Confidential);

        var audit = (await store.GetAuditEventsAsync(new AuditQuery { Applications = ["frontend"], Kinds = [AuditKinds.ConfidentialModeOn, AuditKinds.ConfidentialModeOff] })).ToList();
        Assert.Equal([(AuditKinds.ConfidentialModeOn, "alice"), (AuditKinds.ConfidentialModeOff, "bob")], audit.Select(e => (e.Kind, e.Actor)));
        Assert.Contains("Incident 42", audit[0].Detail);
        Assert.Contains("was public", audit[0].Detail);
        Assert.Contains("Fixed", audit[1].Detail);
        Assert.Contains($"#{during.Id} 0123456789abcdef0123456789abcdef01234567 to integration", audit[1].Detail);
        var started = (await store.GetAuditEventsAsync(new AuditQuery { Applications = ["frontend"], Kinds = [AuditKinds.DeployStarted] })).Last();
        Assert.EndsWith("(confidential)", started.Detail);
    });

    [ContractFact]
    public Task ConfidentialModeOfAnApplicationThatIsNotThereIsApplicationNotFound() => Run(async store =>
    {
        var error = await Assert.ThrowsAsync<GovukDeployException>(() =>
            store.SetConfidentialAsync(new ConfidentialRequest { Application = "nowhere", On = true, Reason = "x" }, "alice"));
        Assert.Equal("ApplicationNotFound", error.ErrorId);
    });

    [ContractFact]
    public Task BranchDeploysAndDeploysSinceATimeCanBeAskedFor() => Run(async store =>
    {
        await store.UpsertApplicationsAsync([App("frontend")], "alice");
        await StartAndFinishAsync(store, "frontend", "release_11");
        Clock.AdvanceMinutes(1);
        var since = Clock.GetCurrentInstant().ToDateTimeOffset();
        var branch = await StartAndFinishAsync(store, "frontend", "fix-the-thing", branch: true);
        await StartAndFinishAsync(store, "frontend", "release_12");

        Assert.Equal([branch.Id], (await store.GetDeploymentsAsync(new DeploymentQuery { Applications = ["frontend"], BranchDeploysOnly = true })).Select(d => d.Id));
        Assert.Equal(2, (await store.GetDeploymentsAsync(new DeploymentQuery { Applications = ["frontend"], StartedSince = since })).Count);
    });

    private async Task<Deployment> StartAndFinishAsync(IDeployStore store, string application, string release, bool branch = false, bool confidential = false)
    {
        var id = await store.StartDeploymentAsync(new DeploymentStart
        {
            Application = application,
            Environment = "integration",
            Release = release,
            Sha = branch && confidential ? release : null,
            DeployedBy = "alice",
            IsBranchDeploy = branch,
            Confidential = confidential,
        });
        return await store.FinishDeploymentAsync(id, new DeploymentFinish(DeploymentStatus.Succeeded), "alice");
    }

    private static string[] Names(IEnumerable<Application> applications) => applications.Select(a => a.Name).ToArray();

    /// <summary>A batch whose enumeration fails part way, as a crashing import would.</summary>
    private sealed class FailingList(List<Application> items, int failAt, Action? onFail = null) : IReadOnlyList<Application>
    {
        public Application this[int index]
        {
            get
            {
                if (index == failAt)
                {
                    if (onFail is null)
                    {
                        throw new IOException("The import died here.");
                    }
                    onFail();
                }
                return items[index];
            }
        }

        public int Count => items.Count;
        public IEnumerator<Application> GetEnumerator() => Enumerable.Range(0, Count).Select(i => this[i]).GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
