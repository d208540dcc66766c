using GovukDeploy.Deploys;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.Errors;
using GovukDeploy.GitHub;
using GovukDeploy.Jenkins;
using GovukDeploy.Observed;
using GovukDeploy.Store;
using NodaTime;

namespace GovukDeploy.Tests;

/// <summary>
/// Undo-Deployment's engine against the sandbox, whose Jenkins already has each environment's history
/// (contacts-admin: production runs release_6, deployed by alice after release_5, release_4 and release_3).
/// </summary>
public sealed class RollbackTests : IAsyncLifetime
{
    private DeployHarness _h = null!;
    private JenkinsClientFactory _jenkins = null!;
    private GitHubConnection _gitHub = null!;
    private string _cache = null!;

    public async Task InitializeAsync()
    {
        _h = await DeployHarness.StartAsync();
        _jenkins = _h.Jenkins(options: DeployHarness.FastPolling with { MaxRetries = 1 });
        _cache = Path.Combine(Path.GetTempPath(), "govukdeploy-rollback-tests", Guid.NewGuid().ToString("N"));
        _gitHub = GitHubConnection.Create(new GitHubConnectionOptions
        {
            ApiUrl = _h.Server.BaseUrl + "api/v3/",
            Token = _h.Server.Credentials.GitHubToken,
            CacheDirectory = _cache,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            RequestTimeout = TimeSpan.FromSeconds(20),
        }, null);
    }

    public async Task DisposeAsync()
    {
        _gitHub.Dispose();
        await _h.DisposeAsync();
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    /// <summary>As the module wires them: Jenkins' history read into the store first, GitHub's compare for what goes.</summary>
    private RollbackLookups Lookups(bool observe = true) => new()
    {
        RefExists = (application, tag, token) => _h.RefExistsAsync(application, tag, branch: false, token),
        Observe = observe
            ? (application, token) => new DeploymentObserver(_h.Store, _jenkins, SystemClock.Instance, new ObserverSettings()).RunningAsync([application], offline: false, null, token)
            : null,
        ChangesTakenOut = (application, current, target, token) =>
            _gitHub.Changes.GetUndeployedAsync(application, current.Environment, target.Sha ?? target.Release, current.Sha ?? current.Release, cancellationToken: token),
    };

    private static RollbackRequest Request(string application = "contacts-admin", string environment = "production", string? release = null) => new()
    {
        Application = application,
        Environment = environment,
        Reason = "contact pages answer 500 since the last deploy",
        Release = release,
        Actor = "oncall",
    };

    private DeployService Service() => _h.Service(_jenkins);

    [Fact]
    public async Task UndoReturnsToTheReleaseThatRanBeforeTakenFromObservedHistoryAndIsAuditedAsARollback()
    {
        var reporter = new RecordingReporter();

        var plan = await Service().PlanRollbackAsync(Request(), Lookups(), reporter, CancellationToken.None);

        Assert.Equal(("release_6", "release_5"), (plan.CurrentRelease, plan.TargetRelease));
        Assert.Equal((DeploymentSource.Jenkins, DeploymentSource.Jenkins), (plan.Current.Source, plan.Target.Source));
        Assert.Equal(plan.Current.BuildUrl, plan.RollsBack);
        Assert.Contains(plan.ChangesTakenOut, c => c.Message == "Change 6 to contacts-admin");
        Assert.DoesNotContain(plan.ChangesTakenOut, c => c.Message == "Change 5 to contacts-admin");
        Assert.Null(plan.ChangesUnknown);
        Assert.Contains("from release_6 to release_5", plan.Summary);
        Assert.True(plan.Passed);

        var rollback = await Service().UndoAsync(Request() with { ExpectedCurrentId = plan.Current.Id }, Lookups(), reporter, CancellationToken.None);

        Assert.Equal((DeploymentStatus.Succeeded, "release_5", true), (rollback.Status, rollback.Release, rollback.IsRollback));
        Assert.Equal(plan.Current.BuildUrl, rollback.RollsBack);
        Assert.Equal("oncall", rollback.DeployedBy);
        Assert.Contains(rollback.Gates, g => g.Gate == GateNames.PromotionOrder && g.Outcome == GateOutcome.Skipped);
        var audited = Assert.Single(await _h.Store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.RollbackStarted] }));
        Assert.Equal(("oncall", "contacts-admin", "production"), (audited.Actor, audited.Application, audited.Environment));
        Assert.Contains("contact pages answer 500 since the last deploy", audited.Detail);
        Assert.Contains(plan.Current.BuildUrl!, audited.Detail);
        // What runs now is the release before, as the next look at Jenkins confirms.
        var running = await new DeploymentObserver(_h.Store, _jenkins, SystemClock.Instance, new ObserverSettings { MaxAge = TimeSpan.Zero })
            .RunningAsync([(await _h.Store.GetApplicationAsync("contacts-admin"))!], offline: false, null, CancellationToken.None);
        Assert.Equal("release_5", running.Get("contacts-admin", "production")!.Release);
        // Undoing the rollback puts back what it took out.
        var again = await Service().PlanRollbackAsync(Request(), Lookups(), reporter, CancellationToken.None);
        Assert.Equal(("release_5", "release_6"), (again.CurrentRelease, again.TargetRelease));
    }

    [Fact]
    public async Task ThePlanGivesTheRollbackVerdictsOutOfHoursAndChangesNothing()
    {
        // A Saturday night: production's window is shut, and incidents happen all the same.
        _h.Clock.Reset(Instant.FromUtc(2026, 11, 28, 23, 0));

        var plan = await Service().PlanRollbackAsync(Request(), Lookups(), new RecordingReporter(), CancellationToken.None);

        var gates = plan.Gates.ToDictionary(g => g.Gate);
        Assert.Equal(GateNames.InOrder, plan.Gates.Select(g => g.Gate));
        Assert.Equal(GateOutcome.Passed, gates[GateNames.Release].Outcome);
        Assert.Equal(GateOutcome.Skipped, gates[GateNames.PromotionOrder].Outcome);
        Assert.Contains("release_5 ran in production before", gates[GateNames.PromotionOrder].Detail);
        Assert.Equal(GateOutcome.Passed, gates[GateNames.Window].Outcome);
        Assert.Contains("Weekend", gates[GateNames.Window].Detail);
        Assert.Contains("incidents do not keep office hours", gates[GateNames.Window].Detail);
        Assert.Equal(GateOutcome.Passed, gates[GateNames.OtherChanges].Outcome);
        Assert.Contains("ships nothing new", gates[GateNames.OtherChanges].Detail);
        Assert.Equal(GateOutcome.Passed, gates[GateNames.DeployLock].Outcome);
        Assert.True(plan.Passed);
        Assert.DoesNotContain(await _h.Store.GetDeploymentsAsync(DeploymentQuery.All), d => d.Source == DeploymentSource.GovukDeploy);
        Assert.Null(await _h.Store.GetLockAsync("contacts-admin", "production"));

        // The same deploy as an ordinary one is stopped by the window and the promotion order.
        var ordinary = await Service().EvaluateAsync(_h.Gate(DeployHarness.Request("contacts-admin", "production", "release_5")), GateMode.WhatIf, CancellationToken.None);
        Assert.Equal(GateOutcome.Failed, ordinary.Verdicts.Single(v => v.Gate == GateNames.Window).Outcome);
    }

    [Fact]
    public async Task ReleasePicksAnOlderReleaseThatRanThereAndNoOther()
    {
        var older = await Service().PlanRollbackAsync(Request(release: "release_4"), Lookups(), new RecordingReporter(), CancellationToken.None);
        Assert.Equal(("release_6", "release_4"), (older.CurrentRelease, older.TargetRelease));
        Assert.Contains(older.ChangesTakenOut, c => c.Message == "Change 5 to contacts-admin");

        // release_8 runs in integration only.
        var never = await Assert.ThrowsAsync<GovukDeployException>(() => Service().PlanRollbackAsync(Request(release: "release_8"), Lookups(), new RecordingReporter(), CancellationToken.None));
        Assert.Equal("RollbackReleaseNotDeployedBefore", never.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, never.Kind);
        Assert.Equal("release_8", never.Target);
        Assert.Contains("release_6, release_5, release_4, release_3", never.Message);
        Assert.Contains("Invoke-Deploy", never.Message);

        var running = await Assert.ThrowsAsync<GovukDeployException>(() => Service().PlanRollbackAsync(Request(release: "release_6"), Lookups(), new RecordingReporter(), CancellationToken.None));
        Assert.Equal("RollbackReleaseIsRunning", running.ErrorId);
    }

    [Fact]
    public async Task TheGateItselfRefusesARollbackToAReleaseThatNeverRanThere()
    {
        // A caller that builds its own rollback request cannot pass off a new release as an old one.
        await new DeploymentObserver(_h.Store, _jenkins, SystemClock.Instance, new ObserverSettings()).SyncAsync([(await _h.Store.GetApplicationAsync("contacts-admin"))!], null, CancellationToken.None);
        var deploy = DeployHarness.Request("contacts-admin", "production", "release_8") with { Rollback = true, Reason = "incident" };

        var refused = await Assert.ThrowsAsync<GovukDeployException>(() => Service().EvaluateAsync(_h.Gate(deploy), GateMode.Enforce, CancellationToken.None));

        Assert.Equal("RollbackReleaseNotDeployedBefore", refused.ErrorId);
        await using var whatIf = await Service().EvaluateAsync(_h.Gate(deploy), GateMode.WhatIf, CancellationToken.None);
        Assert.Equal(GateOutcome.Failed, whatIf.Verdicts.Single(v => v.Gate == GateNames.PromotionOrder).Outcome);
    }

    [Fact]
    public async Task WhereNothingRanBeforeThereIsNothingToRollBackTo()
    {
        // The store's records are the whole truth here: frontend has no deploy to staging in it.
        var none = await Assert.ThrowsAsync<GovukDeployException>(() => Service().PlanRollbackAsync(Request("frontend", "staging"), Lookups(observe: false), new RecordingReporter(), CancellationToken.None));
        Assert.Equal("NothingToUndo", none.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, none.Kind);

        await _h.RecordAsync("frontend", "staging", "release_11", DeploymentStatus.Succeeded);
        await _h.RecordAsync("frontend", "staging", "release_10", DeploymentStatus.Failed);
        await _h.RecordAsync("frontend", "staging", "release_11", DeploymentStatus.Succeeded);
        var first = await Assert.ThrowsAsync<GovukDeployException>(() => Service().UndoAsync(Request("frontend", "staging"), Lookups(observe: false), new RecordingReporter(), CancellationToken.None));
        Assert.Equal("NoPreviousRelease", first.ErrorId);
        Assert.Contains("nothing to roll back to", first.Message);
        Assert.DoesNotContain(await _h.Store.GetDeploymentsAsync(DeploymentQuery.All), d => d.IsRollback);
    }

    [Fact]
    public async Task AFreezeStopsTheRollbackUnlessForcedAndTheOverrideIsAuditedWithItsReason()
    {
        await _h.Store.SetFreezesAsync([new FreezeRequest("contacts-admin", "production", "Election results night", "#govuk-2ndline")], "lead");

        var frozen = await Assert.ThrowsAsync<GovukDeployException>(() => Service().UndoAsync(Request(), Lookups(), new RecordingReporter(), CancellationToken.None));
        Assert.Equal("DeployFrozen", frozen.ErrorId);
        Assert.DoesNotContain(await _h.Store.GetDeploymentsAsync(DeploymentQuery.All), d => d.IsRollback);

        var forced = await Service().UndoAsync(Request() with { Force = true }, Lookups(), new RecordingReporter(), CancellationToken.None);

        Assert.Equal((DeploymentStatus.Succeeded, true, "release_5"), (forced.Status, forced.IsRollback, forced.Release));
        Assert.Equal(GateOutcome.Overridden, forced.Gates.Single(g => g.Gate == GateNames.Freeze).Outcome);
        var overridden = Assert.Single(await _h.Store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.GateOverridden] }));
        Assert.Contains("Election results night", overridden.Detail);
        Assert.Contains("contact pages answer 500 since the last deploy", overridden.Detail);
    }

    [Fact]
    public async Task ARollbackIsRefusedWhenWhatRunsChangedSinceItWasPlannedOrWhileADeployRuns()
    {
        var plan = await Service().PlanRollbackAsync(Request(), Lookups(), new RecordingReporter(), CancellationToken.None);

        var changed = await Assert.ThrowsAsync<GovukDeployException>(() =>
            Service().UndoAsync(Request() with { ExpectedCurrentId = plan.Current.Id + 1000 }, Lookups(), new RecordingReporter(), CancellationToken.None));
        Assert.Equal("RollbackPlanChanged", changed.ErrorId);

        await _h.Store.StartDeploymentAsync(new DeploymentStart { Application = "contacts-admin", Environment = "production", Release = "release_7", DeployedBy = "someone", BuildUrl = "https://x/1/" });
        var locked = await Assert.ThrowsAsync<GovukDeployException>(() => Service().UndoAsync(Request(), Lookups(), new RecordingReporter(), CancellationToken.None));
        Assert.Equal("DeployInProgress", locked.ErrorId);
        Assert.Contains("Stop-Deployment", locked.Message);
    }

    [Fact]
    public async Task WhenTheEnvironmentsJenkinsCannotBeReadTheRollbackIsRefused()
    {
        await _h.FaultAsync("jenkins", "down", environment: "production");

        var unknown = await Assert.ThrowsAsync<GovukDeployException>(() => Service().PlanRollbackAsync(Request(), Lookups(), new RecordingReporter(), CancellationToken.None));

        Assert.Equal("DeployedStateUnknown", unknown.ErrorId);
        Assert.Equal(ErrorKind.ResourceUnavailable, unknown.Kind);
    }
}
