using System.Net;
using System.Text;
using GovukDeploy.Deploys;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.Errors;
using GovukDeploy.Store;
using NodaTime;

namespace GovukDeploy.Tests;

/// <summary>Each gate's verdict and error, overrides and their audit events, and WhatIf, against the sandbox and a SQLite store.</summary>
public sealed class DeployGateTests : IAsyncLifetime
{
    /// <summary>Saturday 28 November 2026, 11:00 in London.</summary>
    private static readonly Instant Saturday = Instant.FromUtc(2026, 11, 28, 11, 0);

    /// <summary>Friday 27 November 2026, 15:50 in London: ten minutes before the Friday window closes.</summary>
    private static readonly Instant FridayLate = Instant.FromUtc(2026, 11, 27, 15, 50);

    private DeployHarness _h = null!;

    public async Task InitializeAsync() => _h = await DeployHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<GateEvaluation> Enforce(DeployRequest request, IReleaseAppFreezeSource? releaseApp = null,
        Func<Application, CancellationToken, Task<IReadOnlyList<UndeployedCommit>>>? others = null) =>
        _h.Gates(releaseApp: releaseApp).EvaluateAsync(_h.Gate(request, others), GateMode.Enforce, CancellationToken.None);

    private Task<GateEvaluation> WhatIf(DeployRequest request, IReleaseAppFreezeSource? releaseApp = null,
        Func<Application, CancellationToken, Task<IReadOnlyList<UndeployedCommit>>>? others = null) =>
        _h.Gates(releaseApp: releaseApp).EvaluateAsync(_h.Gate(request, others), GateMode.WhatIf, CancellationToken.None);

    private async Task<GovukDeployException> Refused(DeployRequest request, IReleaseAppFreezeSource? releaseApp = null) =>
        await Assert.ThrowsAsync<GovukDeployException>(() => Enforce(request, releaseApp));

    private static GateVerdict Verdict(GateEvaluation evaluation, string gate) => evaluation.Verdicts.Single(v => v.Gate == gate);

    private Task<IReadOnlyList<AuditEvent>> Overrides() =>
        _h.Store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.GateOverridden] });

    private Task FreezeAsync(string application, string environment, DateTimeOffset? until = null) =>
        _h.Store.SetFreezesAsync([new FreezeRequest(application, environment, "Election period", "#govuk-2ndline", until)], "incident-lead");

    private static DeployRequest Forced(DeployRequest request, string? reason) => request with { Force = true, Reason = reason };

    // ------------------------------------------------------------ all gates pass

    [Fact]
    public async Task EveryGatePassesInOrderAndTheLockIsHeldUntilReleased()
    {
        await _h.RecordAsync("frontend", "integration", "release_12", DeploymentStatus.Succeeded);

        await using (var evaluation = await Enforce(DeployHarness.Request("frontend", "staging"), others: (_, _) => Task.FromResult<IReadOnlyList<UndeployedCommit>>([])))
        {
            Assert.Equal(GateNames.InOrder, evaluation.Verdicts.Select(v => v.Gate));
            Assert.All(evaluation.Verdicts, v => Assert.Equal(GateOutcome.Passed, v.Outcome));
            Assert.NotNull(evaluation.Lock);
            Assert.False((await _h.Store.TryAcquireLockAsync("frontend", "staging", "other", TimeSpan.FromMinutes(1))).Acquired);
        }

        Assert.True((await _h.Store.TryAcquireLockAsync("frontend", "staging", "other", TimeSpan.FromMinutes(1))).Acquired);
    }

    // ------------------------------------------------------------ 1. application and release

    [Fact]
    public async Task AnUnknownApplicationIsApplicationNotFound()
    {
        var error = await Refused(DeployHarness.Request("no-such-app", "integration"));
        Assert.Equal("ApplicationNotFound", error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);

        var whatIf = await WhatIf(DeployHarness.Request("no-such-app", "integration"));
        Assert.Equal(GateOutcome.Failed, Verdict(whatIf, GateNames.Release).Outcome);
        Assert.All(whatIf.Verdicts.Skip(1), v => Assert.Equal(GateOutcome.Skipped, v.Outcome));
    }

    [Fact]
    public async Task AMissingReleaseIsReleaseNotFoundEvenWithForce()
    {
        var error = await Refused(Forced(DeployHarness.Request("frontend", "integration", "release_13"), "urgent"));

        Assert.Equal("ReleaseNotFound", error.ErrorId);
        Assert.Contains("Get-Release", error.Message);
        Assert.Equal("release_13", error.Target);
        Assert.Empty(await Overrides());
    }

    // ------------------------------------------------------------ 2. promotion order

    [Fact]
    public async Task StagingOnlyGetsAReleaseThatSucceededOnIntegration()
    {
        var error = await Refused(DeployHarness.Request("frontend", "staging"));
        Assert.Equal("PromotionOrderViolated", error.ErrorId);
        Assert.Contains("Invoke-Deploy -Application frontend -Environment integration -Release release_12", error.Message);

        // Neither a failed deploy nor a branch deploy of the same name counts.
        await _h.RecordAsync("frontend", "integration", "release_12", DeploymentStatus.Failed);
        await _h.RecordAsync("frontend", "integration", "release_12", DeploymentStatus.Succeeded, branch: true);
        await _h.RecordAsync("frontend", "integration", "release_11", DeploymentStatus.Succeeded);
        Assert.Equal("PromotionOrderViolated", (await Refused(DeployHarness.Request("frontend", "staging"))).ErrorId);

        await _h.RecordAsync("frontend", "integration", "release_12", DeploymentStatus.Succeeded);
        await using var passed = await Enforce(DeployHarness.Request("frontend", "staging"));
        Assert.Equal(GateOutcome.Passed, Verdict(passed, GateNames.PromotionOrder).Outcome);
    }

    [Fact]
    public async Task ProductionOnlyGetsAReleaseThatSucceededOnStagingAndForceDoesNotChangeThat()
    {
        await _h.RecordAsync("frontend", "integration", "release_12", DeploymentStatus.Succeeded);

        var error = await Refused(Forced(DeployHarness.Request("frontend", "production"), "the minister asked"));

        Assert.Equal("PromotionOrderViolated", error.ErrorId);
        Assert.Contains("staging", error.Message);
        Assert.Empty(await Overrides());
    }

    [Fact]
    public async Task ABranchDeploysToIntegrationOnly()
    {
        var error = await Refused(DeployHarness.Request("frontend", "staging", branch: "main"));
        Assert.Equal("BranchDeployNotAllowed", error.ErrorId);

        await using var integration = await Enforce(DeployHarness.Request("frontend", "integration", branch: "main"));
        Assert.Equal(GateOutcome.Passed, Verdict(integration, GateNames.PromotionOrder).Outcome);
    }

    [Fact]
    public async Task AnUnknownEnvironmentIsRefused() =>
        Assert.Equal("UnknownEnvironment", (await Refused(DeployHarness.Request("frontend", "qa"))).ErrorId);

    // ------------------------------------------------------------ 3. freeze

    [Fact]
    public async Task AFreezeInTheStoreBlocksTheDeployAndSaysWhoToAsk()
    {
        await FreezeAsync("frontend", "integration");

        var error = await Refused(DeployHarness.Request("frontend", "integration"));

        Assert.Equal("DeployFrozen", error.ErrorId);
        Assert.Contains("Election period", error.Message);
        Assert.Contains("#govuk-2ndline", error.Message);
        Assert.Contains("-Force -Reason", error.Message);
        Assert.IsType<DeployFreeze>(error.Target);
    }

    [Fact]
    public async Task AGlobalFreezeBlocksEveryApplicationButAnExpiredOneDoesNot()
    {
        await FreezeAsync(DeployFreeze.Global, "integration");
        Assert.Equal("DeployFrozen", (await Refused(DeployHarness.Request("whitehall", "integration", "release_120"))).ErrorId);

        await _h.Store.LiftFreezesAsync([new FreezeTarget(DeployFreeze.Global)], "incident-lead");
        // Frozen until a moment that the (fake) clock has already passed.
        await FreezeAsync("whitehall", "integration", DeployHarness.TuesdayMorning.ToDateTimeOffset().AddMinutes(5));
        _h.Clock.Reset(DeployHarness.TuesdayMorning.Plus(Duration.FromMinutes(10)));
        await using var evaluation = await Enforce(DeployHarness.Request("whitehall", "integration", "release_120"));
        Assert.Equal(GateOutcome.Passed, Verdict(evaluation, GateNames.Freeze).Outcome);
    }

    [Fact]
    public async Task TheReleaseAppsFreezeFlagCountsAndAnUnknownAnswerFails()
    {
        var releaseApp = _h.ReleaseApp();
        await using (var open = await Enforce(DeployHarness.Request("frontend", "integration"), releaseApp))
        {
            Assert.Equal(GateOutcome.Passed, Verdict(open, GateNames.Freeze).Outcome);
        }

        using (var response = await _h.Http.PostAsync("_sandbox/release/applications/frontend",
            new StringContent("{\"deploy_freeze\":true,\"notes\":\"Do not deploy: migration running\"}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var frozen = await Refused(DeployHarness.Request("frontend", "integration"), releaseApp);
        Assert.Equal("DeployFrozen", frozen.ErrorId);
        Assert.Contains("migration running", frozen.Message);

        await _h.FaultAsync("release", "down", count: 1);
        var unknown = await Refused(DeployHarness.Request("contacts-admin", "integration", "release_8"), releaseApp);
        Assert.Equal("FreezeStatusUnknown", unknown.ErrorId);
        Assert.Contains("503", unknown.Message);
    }

    [Fact]
    public async Task ForceWithAReasonOverridesAFreezeAndTheDeployAuditsIt()
    {
        await FreezeAsync("frontend", "integration");

        var evaluation = await Enforce(Forced(DeployHarness.Request("frontend", "integration"), "Security fix for CVE-2026-1234"));

        var verdict = Verdict(evaluation, GateNames.Freeze);
        Assert.Equal(GateOutcome.Overridden, verdict.Outcome);
        Assert.Contains("Security fix for CVE-2026-1234", verdict.Detail);
        Assert.Equal("Security fix for CVE-2026-1234", evaluation.OverrideReason);
        // Audited with the deploy that uses the override, when it starts.
        Assert.Empty(await Overrides());
        var deployment = await _h.Service().RunAsync(evaluation, new RecordingReporter(), CancellationToken.None);
        Assert.Equal(GateOutcome.Overridden, deployment.Gates.Single(g => g.Gate == GateNames.Freeze).Outcome);
        var audit = Assert.Single(await Overrides());
        Assert.Equal("tester", audit.Actor);
        Assert.Equal("frontend", audit.Application);
        Assert.Equal("integration", audit.Environment);
        Assert.Contains($"Gate Freeze overridden for deploy #{deployment.Id}", audit.Detail);
        Assert.Contains("Reason: Security fix for CVE-2026-1234", audit.Detail);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public async Task ForceWithoutAReasonIsRefusedWhenItWouldOverride(string? reason)
    {
        await FreezeAsync("frontend", "integration");

        var error = await Refused(Forced(DeployHarness.Request("frontend", "integration"), reason));

        Assert.Equal("ForceNeedsReason", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("-Reason", error.Message);
        Assert.Empty(await Overrides());
    }

    [Fact]
    public async Task ForceWithoutAReasonIsFineWhenNothingNeedsOverriding()
    {
        await using var evaluation = await Enforce(Forced(DeployHarness.Request("frontend", "integration"), null));
        Assert.True(evaluation.Passed);
        Assert.Empty(await Overrides());
    }

    // ------------------------------------------------------------ 4. window

    [Fact]
    public async Task OutsideTheWindowIsRefusedButIntegrationIsAlwaysOpen()
    {
        _h.Clock.Reset(Saturday);
        await _h.RecordAsync("frontend", "integration", "release_12", DeploymentStatus.Succeeded);

        var error = await Refused(DeployHarness.Request("frontend", "staging"));

        Assert.Equal("OutsideDeployWindow", error.ErrorId);
        Assert.Contains("Weekend", error.Message);
        Assert.Contains("next opens at 2026-11-30 09:30:00Z", error.Message);
        Assert.Equal(DeployWindowReason.Weekend, Assert.IsType<DeployWindowVerdict>(error.Target).Reason);
        await using var integration = await Enforce(DeployHarness.Request("frontend", "integration"));
        Assert.Equal(GateOutcome.Passed, Verdict(integration, GateNames.Window).Outcome);
    }

    [Fact]
    public async Task TheDeployMustFinishInsideTheWindowByTheMedianOfPastDeploys()
    {
        _h.Clock.Reset(FridayLate);
        await _h.RecordAsync("frontend", "staging", "release_12", DeploymentStatus.Succeeded);
        // The mean (about 11 minutes) would run past 16:00; the median (3 minutes) does not.
        await _h.RecordAsync("frontend", "production", "release_9", DeploymentStatus.Succeeded, TimeSpan.FromMinutes(2));
        await _h.RecordAsync("frontend", "production", "release_10", DeploymentStatus.Succeeded, TimeSpan.FromMinutes(3));
        await _h.RecordAsync("frontend", "production", "release_11", DeploymentStatus.Succeeded, TimeSpan.FromMinutes(30));

        await using (var evaluation = await Enforce(DeployHarness.Request("frontend", "production")))
        {
            Assert.Equal(TimeSpan.FromMinutes(3), evaluation.ExpectedDuration);
            Assert.Contains("median", Verdict(evaluation, GateNames.Window).Detail);
        }

        await _h.RecordAsync("frontend", "production", "release_11", DeploymentStatus.Succeeded, TimeSpan.FromMinutes(25));
        await _h.RecordAsync("frontend", "production", "release_11", DeploymentStatus.Succeeded, TimeSpan.FromMinutes(20));
        var error = await Refused(DeployHarness.Request("frontend", "production"));
        Assert.Equal("OutsideDeployWindow", error.ErrorId);
        Assert.Contains("FinishesAfterClosing", error.Message);
    }

    [Fact]
    public async Task WithoutHistoryJenkinsEstimateIsTheExpectedDuration()
    {
        _h.Clock.Reset(FridayLate);
        await _h.RecordAsync("frontend", "staging", "release_12", DeploymentStatus.Succeeded);
        _h.Server.Farm["production"].FindJob("Deploy_App")!.EstimatedDurationMs = (long)TimeSpan.FromMinutes(20).TotalMilliseconds;
        using (var client = new Jenkins.JenkinsClient(_h.ApiTokenConnection(), "production", DeployHarness.FastPolling))
        {
            // One build in production, so that Jenkins has an estimate to give.
            var queued = await client.TriggerAsync("Deploy_App", new Dictionary<string, string> { ["TARGET_APPLICATION"] = "whitehall", ["TAG"] = "release_1" }, CancellationToken.None);
            await client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None);
        }

        var whatIf = await WhatIf(DeployHarness.Request("frontend", "production"));

        Assert.Equal(TimeSpan.FromMinutes(20), whatIf.ExpectedDuration);
        Assert.Contains("Jenkins' estimate", Verdict(whatIf, GateNames.Window).Detail);
        Assert.Equal("OutsideDeployWindow", whatIf.Errors[GateNames.Window].ErrorId);
    }

    [Fact]
    public async Task ForceWithAReasonOverridesTheWindowAndTheDeployAuditsIt()
    {
        _h.Clock.Reset(Saturday);
        await _h.RecordAsync("frontend", "integration", "release_12", DeploymentStatus.Succeeded);

        var evaluation = await Enforce(Forced(DeployHarness.Request("frontend", "staging"), "Fix the broken homepage"));
        Assert.Equal(GateOutcome.Overridden, Verdict(evaluation, GateNames.Window).Outcome);
        var deployment = await _h.Service().RunAsync(evaluation, new RecordingReporter(), CancellationToken.None);

        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        var audit = Assert.Single(await Overrides());
        Assert.Contains("Gate Window overridden", audit.Detail);
        Assert.Contains("Reason: Fix the broken homepage", audit.Detail);
    }

    // ------------------------------------------------------------ 5. other people's changes

    [Fact]
    public async Task OtherPeoplesChangesAreAWarningThatListsThem()
    {
        IReadOnlyList<UndeployedCommit> commits =
        [
            new("0123456789abcdef", "alice-govuk", "Change the footer\n\nLonger text", 41),
            new("fedcba9876543210", "bob-govuk", "Cache for longer"),
        ];

        await using var evaluation = await Enforce(DeployHarness.Request("frontend", "integration"), others: (_, _) => Task.FromResult(commits));

        var verdict = Verdict(evaluation, GateNames.OtherChanges);
        Assert.Equal(GateOutcome.Warning, verdict.Outcome);
        Assert.Contains("alice-govuk, bob-govuk", verdict.Detail);
        Assert.Contains("0123456 alice-govuk: Change the footer (#41)", verdict.Detail);
        Assert.Equal(commits, evaluation.OtherPeoplesChanges);
        Assert.True(evaluation.Passed);
    }

    [Fact]
    public async Task OtherPeoplesChangesAreSkippedWhenNotChecked()
    {
        await using var evaluation = await Enforce(DeployHarness.Request("frontend", "integration"));
        Assert.Equal(GateOutcome.Skipped, Verdict(evaluation, GateNames.OtherChanges).Outcome);
    }

    // ------------------------------------------------------------ 6. one deploy at a time

    [Fact]
    public async Task ALockHeldByAnotherDeployIsDeployInProgressEvenWithForce()
    {
        Assert.True((await _h.Store.TryAcquireLockAsync("frontend", "integration", "carol@laptop", TimeSpan.FromMinutes(30))).Acquired);

        var error = await Refused(Forced(DeployHarness.Request("frontend", "integration"), "urgent"));

        Assert.Equal("DeployInProgress", error.ErrorId);
        Assert.Equal(ErrorKind.ResourceBusy, error.Kind);
        Assert.Contains("carol@laptop", error.Message);
        // Another application is another lock.
        await using var other = await Enforce(DeployHarness.Request("contacts-admin", "integration", "release_8"));
        Assert.True(other.Passed);
    }

    [Fact]
    public async Task ALiveLockThatKeepsRenewingIsDeployInProgressEvenWithForce()
    {
        var every = TimeSpan.FromMilliseconds(100);
        await using var carol = await DeployLockLease.AcquireAsync(_h.Store, "frontend", "integration", "carol@laptop:7", TimeSpan.FromMinutes(30), every);
        await Task.Delay(every * 4); // carol's deploy has run for four intervals, renewing its lock

        var error = await Refused(Forced(DeployHarness.Request("frontend", "integration"), "urgent"));

        Assert.Equal(("DeployInProgress", ErrorKind.ResourceBusy), (error.ErrorId, error.Kind));
        Assert.Contains("carol@laptop:7", error.Message);
        Assert.Contains("-Force does not break a deploy lock", error.Message);
        Assert.True(carol.StillHeld);
        Assert.Equal("carol@laptop:7", (await _h.Store.GetLockAsync("frontend", "integration"))!.Owner);
        Assert.Empty(await _h.Store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.DeployLockTakenOver] }));
    }

    [Fact]
    public async Task ALockWhoseProcessDiedIsTakenOverWithAWarningNamingIt()
    {
        var every = TimeSpan.FromMilliseconds(50);
        Assert.True((await _h.Store.TryAcquireLockAsync("frontend", "integration", "carol@laptop:7", TimeSpan.FromMinutes(30), every)).Acquired);
        await Task.Delay(every * 4); // carol's process was killed: it renews no more

        var preview = await WhatIf(DeployHarness.Request("frontend", "integration"), others: (_, _) => Task.FromResult<IReadOnlyList<UndeployedCommit>>([]));
        Assert.Equal(GateOutcome.Warning, Verdict(preview, GateNames.DeployLock).Outcome);
        Assert.Contains("carol@laptop:7", Verdict(preview, GateNames.DeployLock).Detail);
        Assert.Equal("carol@laptop:7", (await _h.Store.GetLockAsync("frontend", "integration"))!.Owner);

        await using var evaluation = await Enforce(DeployHarness.Request("frontend", "integration"), others: (_, _) => Task.FromResult<IReadOnlyList<UndeployedCommit>>([]));

        Assert.True(evaluation.Passed);
        var verdict = Verdict(evaluation, GateNames.DeployLock);
        Assert.Equal(GateOutcome.Warning, verdict.Outcome);
        Assert.Contains("carol@laptop:7 (last renewed", verdict.Detail);
        Assert.Equal("carol@laptop:7", evaluation.Lock!.TakenOverFrom!.Owner);
        Assert.Equal(verdict.Detail, evaluation.Lock.TakeoverWarning);
        Assert.Contains("stopped renewing", evaluation.Lock.TakeoverWarning);
        var audit = Assert.Single(await _h.Store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.DeployLockTakenOver] }));
        Assert.Contains("carol@laptop:7", audit.Detail);
        Assert.Equal(evaluation.Lock.Owner, (await _h.Store.GetLockAsync("frontend", "integration"))!.Owner);
    }

    [Fact]
    public async Task ADeployLeftInProgressBlocksTheNextOne()
    {
        var id = await _h.Store.StartDeploymentAsync(new DeploymentStart
        {
            Application = "frontend", Environment = "integration", Release = "release_11", DeployedBy = "dave", BuildUrl = "http://jenkins/job/Deploy_App/7/",
        });

        var error = await Refused(DeployHarness.Request("frontend", "integration"));

        Assert.Equal("DeployInProgress", error.ErrorId);
        Assert.Contains($"Deploy #{id}", error.Message);
        Assert.Contains("Wait-Deployment", error.Message);
        // The refused deploy does not keep the lock.
        Assert.True((await _h.Store.TryAcquireLockAsync("frontend", "integration", "next", TimeSpan.FromMinutes(1))).Acquired);
    }

    // ------------------------------------------------------------ WhatIf and ordering

    [Fact]
    public async Task WhatIfEvaluatesEveryGateAndChangesNothing()
    {
        _h.Clock.Reset(Saturday);
        await FreezeAsync("frontend", "staging");
        Assert.True((await _h.Store.TryAcquireLockAsync("frontend", "staging", "carol@laptop", TimeSpan.FromMinutes(30))).Acquired);
        var auditBefore = (await _h.Store.GetAuditEventsAsync(AuditQuery.All)).Count;

        var evaluation = await WhatIf(Forced(DeployHarness.Request("frontend", "staging"), "testing"),
            others: (_, _) => Task.FromResult<IReadOnlyList<UndeployedCommit>>([new("abc", "alice-govuk", "x")]));

        Assert.Equal(
            [GateOutcome.Passed, GateOutcome.Failed, GateOutcome.Overridden, GateOutcome.Overridden, GateOutcome.Warning, GateOutcome.Failed],
            evaluation.Verdicts.Select(v => v.Outcome));
        Assert.Equal(["DeployInProgress", "PromotionOrderViolated"], evaluation.Errors.Values.Select(e => e.ErrorId).Order(StringComparer.Ordinal));
        Assert.False(evaluation.Passed);
        Assert.Null(evaluation.Lock);
        Assert.Equal(auditBefore, (await _h.Store.GetAuditEventsAsync(AuditQuery.All)).Count);
        Assert.Equal("carol@laptop", (await _h.Store.GetLockAsync("frontend", "staging"))!.Owner);
    }

    [Fact]
    public async Task AnEnforcedEvaluationStopsAtTheFirstFailingGate()
    {
        _h.Clock.Reset(Saturday);
        await _h.RecordAsync("frontend", "integration", "release_12", DeploymentStatus.Succeeded);
        await FreezeAsync("frontend", "staging");

        // Both the freeze and the window fail; the freeze comes first.
        Assert.Equal("DeployFrozen", (await Refused(DeployHarness.Request("frontend", "staging"))).ErrorId);
        Assert.Null(await _h.Store.GetLockAsync("frontend", "staging"));
    }

    [Fact]
    public async Task AnOverrideIsNotAuditedWhenALaterGateStopsTheDeploy()
    {
        await FreezeAsync("frontend", "integration");
        Assert.True((await _h.Store.TryAcquireLockAsync("frontend", "integration", "carol@laptop", TimeSpan.FromMinutes(30))).Acquired);

        Assert.Equal("DeployInProgress", (await Refused(Forced(DeployHarness.Request("frontend", "integration"), "urgent"))).ErrorId);
        Assert.Empty(await Overrides());
    }
}
