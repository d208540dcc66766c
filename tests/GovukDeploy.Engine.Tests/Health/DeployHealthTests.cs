using System.Text.Json;
using GovukDeploy.Configuration;
using GovukDeploy.Health;
using static GovukDeploy.Tests.Health.HealthTestSupport;

namespace GovukDeploy.Tests.Health;

/// <summary>Test-DeployHealth's checks against the sandbox's Sentry and Icinga stand-ins.</summary>
public sealed class DeployHealthTests
{
    private static (DateTimeOffset Since, DateTimeOffset Now) DeployJustNow() => (DateTimeOffset.UtcNow.AddSeconds(-2), DateTimeOffset.UtcNow);

    private static async Task<DeployHealth> CheckAfter(DeployHarness harness, string application, string environment, string? effect, HealthSettings? settings = null,
        RequestLog? log = null)
    {
        var (since, now) = DeployJustNow();
        if (effect is not null)
        {
            harness.Server.Aftermath.ApplyNow(application, environment, effect, null, since, now);
        }

        using var health = Service(settings ?? Settings(harness), log);
        return await health.CheckAsync(new HealthTarget(App(application), environment, since, null), CancellationToken.None);
    }

    [Fact]
    public async Task ANewErrorAfterTheDeployMakesItUnhealthyAndIsListed()
    {
        await using var harness = await DeployHarness.StartAsync();
        var health = await CheckAfter(harness, "frontend", "staging", "new-error");

        Assert.Equal(HealthVerdict.Unhealthy, health.Verdict);
        var sentry = health.Check(HealthCheckNames.Sentry)!;
        Assert.Equal(HealthOutcome.Failed, sentry.Outcome);
        var item = Assert.Single(sentry.Items);
        Assert.Equal("New", item.State);
        Assert.StartsWith("FRONTEND-", item.Id);
        Assert.Equal(7, item.Count);
        Assert.StartsWith(harness.Server.BaseUrl + "sentry/organizations/govuk/issues/", item.Url);
        Assert.Contains("NoMethodError", item.Title);
        Assert.Contains("1 new error", sentry.Detail);
    }

    [Fact]
    public async Task AnErrorFirstSeenBeforeTheDeployDoesNotCountEvenWhenSeenAgain()
    {
        await using var harness = await DeployHarness.StartAsync();
        var health = await CheckAfter(harness, "frontend", "staging", "old-error");

        var sentry = health.Check(HealthCheckNames.Sentry)!;
        Assert.Equal(HealthOutcome.Passed, sentry.Outcome);
        Assert.Empty(sentry.Items);
        Assert.Contains("1 older issue seen again is not counted", sentry.Detail);
        Assert.Equal(HealthVerdict.Healthy, health.Verdict);
    }

    [Fact]
    public async Task ANewIssueBelowErrorLevelDoesNotCount()
    {
        await using var harness = await DeployHarness.StartAsync();
        var health = await CheckAfter(harness, "frontend", "staging", "new-warning");

        Assert.Equal(HealthOutcome.Passed, health.Check(HealthCheckNames.Sentry)!.Outcome);
    }

    [Fact]
    public async Task AnErrorThatRegressedSinceTheDeployMakesItUnhealthy()
    {
        await using var harness = await DeployHarness.StartAsync();
        var health = await CheckAfter(harness, "whitehall", "production", "regressed-error");

        Assert.Equal(HealthVerdict.Unhealthy, health.Verdict);
        var item = Assert.Single(health.Check(HealthCheckNames.Sentry)!.Items);
        Assert.Equal("Regressed", item.State);
        Assert.True(item.Fails);
    }

    [Fact]
    public async Task SentryPagesAreFollowedOneRequestEachAndIcingaIsAskedOnce()
    {
        await using var harness = await DeployHarness.StartAsync();
        var (since, now) = DeployJustNow();
        var project = harness.Server.Sentry.FindProject("frontend")!;
        for (var i = 0; i < 230; i++)
        {
            harness.Server.Sentry.AddIssue(project, $"RuntimeError: number {i}", "error", now, now, 1);
        }

        var log = new RequestLog();
        using var service = Service(Settings(harness), log);
        var health = await service.CheckAsync(new HealthTarget(App("frontend"), "staging", since, null), CancellationToken.None);

        Assert.Equal(230, health.Check(HealthCheckNames.Sentry)!.Items.Length);
        Assert.Equal(3, log.Count("/sentry/api/0/projects/govuk/frontend/issues/"));
        Assert.Equal(1, log.Count("/icinga/staging/v1/objects/services"));
        Assert.Contains(log.Requests, r => r.Query.Contains("cursor=0:200:0", StringComparison.Ordinal));
        Assert.Contains(log.Requests, r => r.Query.Contains("is:unresolved lastSeen:>=", StringComparison.Ordinal) && r.Query.Contains("level:[error,fatal]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnIcingaAlertThatBeganAfterTheDeployFailsTheCheck()
    {
        await using var harness = await DeployHarness.StartAsync();
        var health = await CheckAfter(harness, "frontend", "production", "critical-alert");

        var icinga = health.Check(HealthCheckNames.Icinga)!;
        Assert.Equal(HealthOutcome.Failed, icinga.Outcome);
        var item = Assert.Single(icinga.Items);
        Assert.Equal("CRITICAL", item.State);
        Assert.Equal("since the deploy", item.Note);
        Assert.Equal(HealthVerdict.Unhealthy, health.Verdict);
    }

    [Fact]
    public async Task AnIcingaAlertThatBeganBeforeTheDeployIsAWarningNamedAsOlder()
    {
        await using var harness = await DeployHarness.StartAsync();
        var health = await CheckAfter(harness, "frontend", "production", "critical-alert-before");

        var icinga = health.Check(HealthCheckNames.Icinga)!;
        Assert.Equal(HealthOutcome.Warning, icinga.Outcome);
        var item = Assert.Single(icinga.Items);
        Assert.False(item.Fails);
        Assert.StartsWith("older than the deploy", item.Note);
        Assert.Equal(HealthVerdict.Healthy, health.Verdict);
    }

    [Theory]
    [InlineData("acknowledged-alert", "acknowledged")]
    [InlineData("downtime-alert", "in downtime")]
    public async Task AcknowledgedAndInDowntimeAlertsAreListedAsSuchAndDoNotFail(string effect, string note)
    {
        await using var harness = await DeployHarness.StartAsync();
        var health = await CheckAfter(harness, "frontend", "staging", effect);

        var icinga = health.Check(HealthCheckNames.Icinga)!;
        Assert.Equal(HealthOutcome.Passed, icinga.Outcome);
        var item = Assert.Single(icinga.Items);
        Assert.Equal(note, item.Note);
        Assert.False(item.Fails);
        Assert.Equal(HealthVerdict.Healthy, health.Verdict);
    }

    [Fact]
    public async Task SentryUnreachableIsUnknownWithTheReasonAndTheVerdictIsNeverHealthy()
    {
        await using var harness = await DeployHarness.StartAsync();
        await harness.FaultAsync("sentry", "down");
        var health = await CheckAfter(harness, "frontend", "staging", null);

        var sentry = health.Check(HealthCheckNames.Sentry)!;
        Assert.Equal(HealthOutcome.Unknown, sentry.Outcome);
        Assert.Contains("answered HTTP 503", sentry.Detail);
        Assert.Equal(HealthOutcome.Passed, health.Check(HealthCheckNames.Icinga)!.Outcome);
        Assert.Equal(HealthVerdict.Unknown, health.Verdict);
    }

    [Fact]
    public async Task NothingListeningIsUnknownToo()
    {
        await using var harness = await DeployHarness.StartAsync();
        var settings = Settings(harness) with { SentryUrl = new Uri("http://127.0.0.1:1/"), IcingaUrlTemplate = "http://127.0.0.1:1/{environment}/" };
        var health = await CheckAfter(harness, "frontend", "staging", null, settings);

        Assert.Equal(HealthOutcome.Unknown, health.Check(HealthCheckNames.Sentry)!.Outcome);
        Assert.Contains("could not be reached", health.Check(HealthCheckNames.Icinga)!.Detail);
        Assert.Equal(HealthVerdict.Unknown, health.Verdict);
    }

    [Fact]
    public async Task ASourceNotConfiguredIsNotCountedAndNothingConfiguredIsUnknown()
    {
        await using var harness = await DeployHarness.StartAsync();
        var noSentry = await CheckAfter(harness, "frontend", "staging", "new-error", Settings(harness, sentry: false));
        Assert.Equal(HealthOutcome.NotConfigured, noSentry.Check(HealthCheckNames.Sentry)!.Outcome);
        Assert.Equal(HealthVerdict.Healthy, noSentry.Verdict);

        var nothing = await CheckAfter(harness, "frontend", "staging", null, Settings(harness, sentry: false, icinga: false, dashboard: "https://dashboard.example/{environment}/{application}"));
        Assert.All(nothing.Checks.Where(c => c.Name != HealthCheckNames.Dashboard), c => Assert.Equal(HealthOutcome.NotConfigured, c.Outcome));
        Assert.Equal(HealthVerdict.Unknown, nothing.Verdict);
    }

    [Fact]
    public async Task TheDashboardIsALinkNeverAJudgement()
    {
        await using var harness = await DeployHarness.StartAsync();
        var health = await CheckAfter(harness, "contacts-admin", "production", "new-error", Settings(harness, dashboard: "https://grafana.example/d/deploys?var-app={application}&var-env={environment}"));

        var dashboard = health.Check(HealthCheckNames.Dashboard)!;
        Assert.Equal(HealthOutcome.Passed, dashboard.Outcome);
        Assert.Equal("https://grafana.example/d/deploys?var-app=contacts-admin&var-env=production", dashboard.Url);
        Assert.Equal(HealthVerdict.Unhealthy, health.Verdict);
    }

    [Fact]
    public async Task AnUnknownSentryProjectIsUnknownNamingTheProjectAndTheSetting()
    {
        await using var harness = await DeployHarness.StartAsync();
        var settings = Settings(harness) with { SentryProjects = HealthSettings.ParseProjects("frontend=frontend-app") };
        var health = await CheckAfter(harness, "frontend", "staging", null, settings);

        var sentry = health.Check(HealthCheckNames.Sentry)!;
        Assert.Equal(HealthOutcome.Unknown, sentry.Outcome);
        Assert.Contains("'frontend-app'", sentry.Detail);
        Assert.Contains("SentryProjects", sentry.Detail);
        Assert.Equal(HealthVerdict.Unknown, health.Verdict);
    }

    [Fact]
    public async Task TheApplicationNameOnlyEverTravelsInFilterVars()
    {
        await using var harness = await DeployHarness.StartAsync();
        const string hostile = "frontend\" || true || \"";
        var log = new RequestLog();
        var health = await CheckAfter(harness, hostile, "staging", null, Settings(harness, sentry: false), log);

        var (_, _, body) = Assert.Single(log.Requests);
        using var json = JsonDocument.Parse(body!);
        Assert.Equal("service.vars.app == app", json.RootElement.GetProperty("filter").GetString());
        Assert.Equal(hostile, json.RootElement.GetProperty("filter_vars").GetProperty("app").GetString());
        // Had the name reached the filter, every service would match; as a value it matches none.
        var icinga = health.Check(HealthCheckNames.Icinga)!;
        Assert.Equal(HealthOutcome.Unknown, icinga.Outcome);
        Assert.Contains("has no services", icinga.Detail);
    }

    [Fact]
    public async Task TokensNeverAppearInWhatTheChecksSay()
    {
        await using var harness = await DeployHarness.StartAsync();
        const string sentryToken = "sentry-secret-token-0042";
        const string icingaPassword = "icinga-secret-password-0043";
        var settings = Settings(harness) with { SentryToken = new Secret(sentryToken), IcingaPassword = new Secret(icingaPassword) };
        var health = await CheckAfter(harness, "frontend", "staging", "new-error", settings);

        Assert.Equal(HealthOutcome.Unknown, health.Check(HealthCheckNames.Sentry)!.Outcome);
        Assert.Equal(HealthOutcome.Unknown, health.Check(HealthCheckNames.Icinga)!.Outcome);
        var everything = JsonSerializer.Serialize(health) + health.Summary;
        Assert.Contains("refused", everything);
        Assert.DoesNotContain(sentryToken, everything);
        Assert.DoesNotContain(icingaPassword, everything);
        Assert.DoesNotContain(harness.Server.Credentials.SentryToken, everything);
    }

    [Fact]
    public async Task ControlCharactersFromSentryAreCleanedAndTitlesBounded()
    {
        await using var harness = await DeployHarness.StartAsync();
        var (since, now) = DeployJustNow();
        harness.Server.Aftermath.ApplyNow("frontend", "staging", "new-error", "Evil\u001b]0;pwned\u0007 title " + new string('x', 150), since, now);
        using var service = Service(Settings(harness));
        var health = await service.CheckAsync(new HealthTarget(App("frontend"), "staging", since, null), CancellationToken.None);

        var title = Assert.Single(health.Check(HealthCheckNames.Sentry)!.Items).Title;
        Assert.DoesNotContain('\u001b', title);
        Assert.DoesNotContain('\u0007', title);
        Assert.True(title.Length <= UntrustedText.MaxTitle + 1, title);
    }
}
