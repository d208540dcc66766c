using GovukDeploy.Deploys;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.Errors;
using GovukDeploy.Jenkins;
using GovukDeploy.Observed;
using GovukDeploy.Store;
using NodaTime;

namespace GovukDeploy.Tests;

/// <summary>
/// The gates on what really runs: promotion order and other people's changes judged from Jenkins'
/// deploy history, never passing when it cannot be read.
/// </summary>
public sealed class ObservedGateTests : IAsyncLifetime
{
    private DeployHarness _h = null!;
    private JenkinsClientFactory _jenkins = null!;

    public async Task InitializeAsync()
    {
        _h = await DeployHarness.StartAsync();
        // One retry: a Jenkins that is down should be reported promptly, not after a minute of backoff.
        _jenkins = _h.Jenkins(options: DeployHarness.FastPolling with { MaxRetries = 1 });
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private GateRequest Observed(DeployRequest deploy, Func<Application, CancellationToken, Task<IReadOnlyList<UndeployedCommit>>>? others = null) =>
        _h.Gate(deploy, others ?? ((_, _) => Task.FromResult<IReadOnlyList<UndeployedCommit>>([]))) with
        {
            Observe = (application, token) =>
                new DeploymentObserver(_h.Store, _jenkins, SystemClock.Instance, new ObserverSettings()).RunningAsync([application], offline: false, null, token),
        };

    private Task<GateEvaluation> Evaluate(GateRequest request, GateMode mode) => _h.Gates(_jenkins).EvaluateAsync(request, mode, CancellationToken.None);

    private static GateVerdict Verdict(GateEvaluation evaluation, string gate) => evaluation.Verdicts.Single(v => v.Gate == gate);

    /// <summary>Deploy_App run from the Jenkins page (as CI or a colleague would), to its end; GovukDeploy knows nothing of it.</summary>
    private async Task DeployInJenkinsAsync(string environment, string target, string tag)
    {
        var client = _h.Jenkins().For(environment);
        var queued = await client.TriggerAsync("Deploy_App", new Dictionary<string, string> { ["TARGET_APPLICATION"] = target, ["DEPLOY_TASK"] = "deploy", ["TAG"] = tag }, CancellationToken.None);
        var started = await client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None);
        Assert.Equal("SUCCESS", (await client.WatchAsync(started.Url, null, null, CancellationToken.None)).Result);
    }

    [Fact]
    public async Task StagingTakesAReleaseThatSomeoneElseDeployedToIntegrationInJenkins()
    {
        await DeployInJenkinsAsync("integration", "contacts", "release_8");

        await using var evaluation = await Evaluate(Observed(DeployHarness.Request("contacts-admin", "staging", "release_8")), GateMode.Enforce);

        var promotion = Verdict(evaluation, GateNames.PromotionOrder);
        Assert.Equal(GateOutcome.Passed, promotion.Outcome);
        Assert.Contains("Jenkins", promotion.Detail);
        Assert.True(evaluation.Passed);
    }

    [Fact]
    public async Task WithoutAnObserverTheSameDeployIsRefused()
    {
        // The defect this fixes: the store alone never knew of CI's Integration deploy.
        await DeployInJenkinsAsync("integration", "contacts", "release_8");

        var refused = await Assert.ThrowsAsync<GovukDeployException>(() => Evaluate(_h.Gate(DeployHarness.Request("contacts-admin", "staging", "release_8")), GateMode.Enforce));

        Assert.Equal("PromotionOrderViolated", refused.ErrorId);
    }

    [Fact]
    public async Task WhenThePreviousEnvironmentsJenkinsIsDownPromotionIsUnknownAndRefused()
    {
        await DeployInJenkinsAsync("integration", "contacts", "release_8");
        await _h.FaultAsync("jenkins", "down", environment: "integration");

        await using var whatIf = await Evaluate(Observed(DeployHarness.Request("contacts-admin", "staging", "release_8")), GateMode.WhatIf);
        var verdict = Verdict(whatIf, GateNames.PromotionOrder);
        Assert.Equal(GateOutcome.Unknown, verdict.Outcome);
        Assert.Contains("integration Jenkins could not be read", verdict.Detail);
        Assert.False(whatIf.Passed);
        Assert.Equal("PromotionOrderUnknown", whatIf.Errors[GateNames.PromotionOrder].ErrorId);

        var refused = await Assert.ThrowsAsync<GovukDeployException>(() => Evaluate(Observed(DeployHarness.Request("contacts-admin", "staging", "release_8")), GateMode.Enforce));
        Assert.Equal("PromotionOrderUnknown", refused.ErrorId);
        Assert.Equal(ErrorKind.ResourceUnavailable, refused.Kind);

        // -Force never passes promotion order, known or not.
        var forced = await Assert.ThrowsAsync<GovukDeployException>(() =>
            Evaluate(Observed(DeployHarness.Request("contacts-admin", "staging", "release_8") with { Force = true, Reason = "incident" }), GateMode.Enforce));
        Assert.Equal("PromotionOrderUnknown", forced.ErrorId);
    }

    [Fact]
    public async Task WhenTheTargetsJenkinsIsDownOtherPeoplesChangesAreUnknownAndOnlyForceWithAReasonPasses()
    {
        await DeployInJenkinsAsync("integration", "contacts", "release_8");
        await _h.FaultAsync("jenkins", "down", environment: "staging");
        var calledWithoutKnowing = false;
        Func<Application, CancellationToken, Task<IReadOnlyList<UndeployedCommit>>> others = (_, _) =>
        {
            calledWithoutKnowing = true;
            return Task.FromResult<IReadOnlyList<UndeployedCommit>>([]);
        };

        var refused = await Assert.ThrowsAsync<GovukDeployException>(() => Evaluate(Observed(DeployHarness.Request("contacts-admin", "staging", "release_8"), others), GateMode.Enforce));
        Assert.Equal("OtherChangesUnknown", refused.ErrorId);
        Assert.False(calledWithoutKnowing);

        var noReason = await Assert.ThrowsAsync<GovukDeployException>(() =>
            Evaluate(Observed(DeployHarness.Request("contacts-admin", "staging", "release_8") with { Force = true }, others), GateMode.Enforce));
        Assert.Equal("ForceNeedsReason", noReason.ErrorId);

        await using var forced = await Evaluate(Observed(DeployHarness.Request("contacts-admin", "staging", "release_8") with { Force = true, Reason = "checked the diff by hand" }, others), GateMode.Enforce);
        var verdict = Verdict(forced, GateNames.OtherChanges);
        Assert.Equal(GateOutcome.Overridden, verdict.Outcome);
        Assert.Contains("checked the diff by hand", verdict.Detail);
        Assert.Equal("checked the diff by hand", forced.OverrideReason);
    }

    [Fact]
    public async Task AListOfChangesThatCannotBeReadIsUnknownNotPassed()
    {
        await DeployInJenkinsAsync("integration", "contacts", "release_8");
        await DeployInJenkinsAsync("staging", "contacts", "release_7");

        await using var whatIf = await Evaluate(Observed(DeployHarness.Request("contacts-admin", "staging", "release_8"),
            (_, _) => throw new GovukDeployException("GitHubUnavailable", ErrorKind.ResourceUnavailable, "GitHub answered 503.", null)), GateMode.WhatIf);

        var verdict = Verdict(whatIf, GateNames.OtherChanges);
        Assert.Equal(GateOutcome.Unknown, verdict.Outcome);
        Assert.Contains("GitHub answered 503", verdict.Detail);
        Assert.Equal("OtherChangesUnknown", whatIf.Errors[GateNames.OtherChanges].ErrorId);
    }

    [Fact]
    public async Task AFirstDeployToAnEnvironmentIsAWarningThatEveryCommitGoesOutNotAPass()
    {
        // Two releases: nothing has ever gone to production, seeded or not.
        await _h.AddAppAsync("brand-new-app", releases: 2);

        await using var evaluation = await Evaluate(Observed(DeployHarness.Request("brand-new-app", "production", "release_1")), GateMode.WhatIf);

        var verdict = Verdict(evaluation, GateNames.OtherChanges);
        Assert.Equal(GateOutcome.Warning, verdict.Outcome);
        Assert.Contains("first deploy", verdict.Detail);
    }
}
