using System.Text;
using System.Text.Json;
using GovukDeploy.Confidential;
using GovukDeploy.Configuration;
using GovukDeploy.Deploys;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.Errors;
using GovukDeploy.GitHub;
using GovukDeploy.Jenkins;
using GovukDeploy.Observed;
using GovukDeploy.Store;
using Microsoft.Data.Sqlite;

namespace GovukDeploy.Tests;

/// <summary>
/// Confidential mode end to end: the sandbox's GitHub (a public or private repository), Jenkins, Release app and
/// Slack inbox, the engine's GitHub connection, and a real SQLite store whose every row is read back.
/// </summary>
public sealed class ConfidentialDeployTests : IAsyncLifetime
{
    // A seeded pull request of frontend: its branch, and its title, which is also its commit's message.
    private const string Title = "Update the cookie banner wording";
    private const string Branch = "sandbox/update-the-cookie-banner-wording";
    private const string Announcement = "Fix the XSS in the search box";

    private DeployHarness _h = null!;
    private GitHubConnection _gitHub = null!;

    public async Task InitializeAsync()
    {
        _h = await DeployHarness.StartAsync();
        _gitHub = Connect(_h.Server.Credentials.GitHubToken);
    }

    public async Task DisposeAsync()
    {
        _gitHub.Dispose();
        await _h.DisposeAsync();
    }

    private GitHubConnection Connect(string token) => GitHubConnection.Create(new GitHubConnectionOptions
    {
        ApiUrl = _h.Server.BaseUrl + "api/v3/",
        Token = token,
        CacheDirectory = null,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
    });

    private string BranchHead()
    {
        lock (_h.Server.GitHub.Sync)
        {
            return _h.Server.GitHub.FindRepository("alphagov", "frontend")!.Branches[Branch];
        }
    }

    private async Task MakeConfidentialAsync(string application = "frontend") =>
        await _h.Store.SetConfidentialAsync(new ConfidentialRequest { Application = application, On = true, Reason = "Incident 42", Visibility = RepositoryVisibility.Public }, "tester");

    private async Task SetVisibilityAsync(string visibility)
    {
        using var response = await _h.Http.PostAsync("_sandbox/github/repos/alphagov/frontend/visibility",
            new StringContent(JsonSerializer.Serialize(new { visibility }), Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode);
    }

    /// <summary>What Invoke-Deploy asks of GitHub, through the engine's own connection.</summary>
    private GateRequest Gate(DeployRequest deploy, GitHubConnection? visibilityFrom = null) => new()
    {
        Deploy = deploy,
        RefExists = (app, reference, token) => deploy.IsBranchDeploy
            ? _gitHub.Refs.BranchExistsAsync(app, reference, cancellationToken: token)
            : _gitHub.Refs.TagExistsAsync(app, reference, cancellationToken: token),
        Visibility = (app, token) => (visibilityFrom ?? _gitHub).Repositories.GetVisibilityAsync(app, cancellationToken: token),
        BranchHead = (app, branch, token) => _gitHub.Refs.BranchHeadAsync(app, branch, cancellationToken: token),
    };

    private static DeployRequest BranchRequest() => DeployHarness.Request("frontend", "integration", branch: Branch) with { Announce = Announcement };

    /// <summary>Every text value of every row of the store's deployments and audit log.</summary>
    private async Task<string> StoreTextAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_h.StorePath};Pooling=False");
        await connection.OpenAsync();
        var text = new StringBuilder();
        foreach (var table in new[] { "deployments", "audit_events", "applications" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.IsDBNull(i) ? "" : reader.GetValue(i)).Append('|');
                }
                text.AppendLine();
            }
        }
        return text.ToString();
    }

    private async Task<IReadOnlyList<string>> SlackMessagesAsync() =>
        (await _h.GetJsonAsync("_sandbox/slack/messages")).EnumerateArray().Select(m => m.GetProperty("text").GetString()!).ToList();

    private SlackAnnouncer Slack() => new(new Secret(_h.Server.BaseUrl + "slack/services/T000/B000/confidential-tests"));

    [Fact]
    public async Task AConfidentialBranchDeployTellsSlackTheStoreAndTheReleaseAppTheCommitOnly()
    {
        await MakeConfidentialAsync();
        await SetVisibilityAsync("private");
        using var slack = Slack();
        var service = new DeployService(_h.Gates(), _h.Runner(recorder: _h.ReleaseApp(), slack: slack));
        var reporter = new RecordingReporter();

        var deployment = await service.DeployAsync(Gate(BranchRequest()), reporter, CancellationToken.None);

        var head = BranchHead();
        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        Assert.True(deployment.Confidential);
        Assert.True(deployment.IsBranchDeploy);
        Assert.Equal(head, deployment.Release);
        Assert.Equal(head, deployment.Sha);
        Assert.Contains(deployment.Gates, g => g.Gate == GateNames.Confidential && g.Outcome == GateOutcome.Passed);

        // The shared store: the commit, never the branch, the title (the commit's message) or the announcement.
        var stored = await StoreTextAsync();
        Assert.Contains(head, stored);
        Assert.DoesNotContain(Branch, stored);
        Assert.DoesNotContain("cookie-banner", stored);
        Assert.DoesNotContain(Title, stored);
        Assert.DoesNotContain(Announcement, stored);

        // Slack: that a confidential change went out, with the commit, and nothing else.
        Assert.Equal([$"A confidential change to frontend was deployed to integration (commit {head[..7]})."], await SlackMessagesAsync());

        // The Release app: told the version (the commit), no more.
        var recorded = (await _h.GetJsonAsync("_sandbox/release/deployments?repo=alphagov/frontend&environment=integration")).EnumerateArray()
            .Where(d => d.GetProperty("source").GetString() == "api").ToList();
        var record = Assert.Single(recorded);
        Assert.Equal(head, record.GetProperty("version").GetString());

        // The local user still sees everything: Jenkins was given the branch, and its console says so.
        Assert.Contains(reporter.Lines, l => l.Contains(Branch));
    }

    [Fact]
    public async Task APublicRepositoryRefusesAConfidentialBranchDeployUnlessForcedWithAReasonWhichIsAudited()
    {
        await MakeConfidentialAsync();
        var builds = await _h.BuildNumbersAsync("integration");
        var service = _h.Service();

        var refused = await Assert.ThrowsAsync<GovukDeployException>(() => service.DeployAsync(Gate(BranchRequest()), new RecordingReporter(), CancellationToken.None));
        Assert.Equal("RepositoryNotPrivate", refused.ErrorId);
        Assert.Equal(ErrorKind.SecurityError, refused.Kind);
        Assert.Contains("Make the repository private first", refused.Message);
        Assert.Equal("alphagov/frontend", refused.Target);

        var noReason = await Assert.ThrowsAsync<GovukDeployException>(() =>
            service.DeployAsync(Gate(BranchRequest() with { Force = true }), new RecordingReporter(), CancellationToken.None));
        Assert.Equal("ForceNeedsReason", noReason.ErrorId);
        Assert.Equal(builds, await _h.BuildNumbersAsync("integration"));

        var forced = await service.DeployAsync(Gate(BranchRequest() with { Force = true, Reason = "Incident lead agreed" }), new RecordingReporter(), CancellationToken.None);

        Assert.Equal(DeploymentStatus.Succeeded, forced.Status);
        Assert.Contains(forced.Gates, g => g.Gate == GateNames.Confidential && g.Outcome == GateOutcome.Overridden);
        var overridden = Assert.Single(await _h.Store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.GateOverridden] }));
        Assert.Contains("Confidential", overridden.Detail);
        Assert.Contains("Incident lead agreed", overridden.Detail);
        Assert.DoesNotContain(Branch, await StoreTextAsync());
    }

    [Fact]
    public async Task ATagOfAConfidentialApplicationInAPublicRepositoryDeploysWithAWarning()
    {
        await MakeConfidentialAsync();
        var evaluation = await _h.Service().EvaluateAsync(Gate(DeployHarness.Request("frontend", "integration", "release_12")), GateMode.WhatIf, CancellationToken.None);

        var verdict = Assert.Single(evaluation.Verdicts, v => v.Gate == GateNames.Confidential);
        Assert.Equal(GateOutcome.Warning, verdict.Outcome);
        Assert.Contains("already published", verdict.Detail);
        Assert.True(evaluation.Passed);
    }

    [Fact]
    public async Task OnlyAConfidentialDeployHasTheConfidentialGateAndConfidentialMakesOneDeployConfidential()
    {
        var plain = await _h.Service().EvaluateAsync(Gate(DeployHarness.Request("frontend", "integration", "release_12")), GateMode.WhatIf, CancellationToken.None);
        Assert.Equal(GateNames.InOrder, plain.Verdicts.Select(v => v.Gate));

        using var slack = Slack();
        var service = new DeployService(_h.Gates(), _h.Runner(slack: slack));
        var deployment = await service.DeployAsync(Gate(DeployHarness.Request("whitehall", "integration", "release_120") with { Confidential = true, Announce = Announcement }),
            new RecordingReporter(), CancellationToken.None);

        Assert.True(deployment.Confidential);
        Assert.Equal(GateNames.For(confidential: true), deployment.Gates.Select(g => g.Gate));
        Assert.Equal(GateNames.Confidential, deployment.Gates[1].Gate);
        Assert.False((await _h.Store.GetApplicationAsync("whitehall"))!.Confidential);
        Assert.Equal(["A confidential change to whitehall was deployed to integration (release_120)."], await SlackMessagesAsync());
    }

    [Fact]
    public async Task ARepositoryTheTokenCannotSeeIsSaidToBePerhapsPrivateAndRefusesAConfidentialBranchDeploy()
    {
        await MakeConfidentialAsync();
        await SetVisibilityAsync("private");
        var outsider = await _h.Http.PostAsync("_sandbox/github/tokens", new StringContent("""{"login": "outsider"}""", Encoding.UTF8, "application/json"));
        var token = JsonDocument.Parse(await outsider.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        using var stranger = Connect(token);
        var frontend = (await _h.Store.GetApplicationAsync("frontend"))!;

        var notFound = await Assert.ThrowsAsync<GovukDeployException>(() => stranger.Repositories.GetVisibilityAsync(frontend));
        Assert.Equal("RepositoryNotFound", notFound.ErrorId);
        Assert.Contains("may be private and the token may lack access", notFound.Message);

        var refused = await Assert.ThrowsAsync<GovukDeployException>(() =>
            _h.Service().DeployAsync(Gate(BranchRequest(), visibilityFrom: stranger), new RecordingReporter(), CancellationToken.None));
        Assert.Equal("RepositoryVisibilityUnknown", refused.ErrorId);
        Assert.Contains("RepositoryNotFound", refused.Message);
    }

    [Fact]
    public async Task ABranchInAForkIsRefusedByTheReleaseGate()
    {
        var error = await Assert.ThrowsAsync<GovukDeployException>(() => _h.Service().DeployAsync(
            Gate(BranchRequest() with { BranchRepository = "someone/frontend" }), new RecordingReporter(), CancellationToken.None));

        Assert.Equal("BranchFromFork", error.ErrorId);
        Assert.Contains("Jenkins' Deploy_App fetches branches from alphagov/frontend only", error.Message);
        Assert.Equal("someone/frontend", error.Target);
    }

    [Fact]
    public async Task ABranchDeployIsFoundAgainForItsPullRequestByBranchOrByCommit()
    {
        var plain = await _h.Service().DeployAsync(Gate(BranchRequest()), new RecordingReporter(), CancellationToken.None);
        Assert.Equal(Branch, plain.Release);
        Assert.Equal(BranchHead(), plain.Sha);
        var frontend = (await _h.Store.GetApplicationAsync("frontend"))!;
        var pullRequests = (await _gitHub.PullRequests.ListAsync(frontend)).ToList();

        await BranchDeploys.AttachAsync(_h.Store, frontend, pullRequests, "integration", CancellationToken.None);

        Assert.Equal(plain.Id, pullRequests.Single(p => p.Title == Title).BranchDeploy!.Id);
        Assert.All(pullRequests.Where(p => p.Title != Title), p => Assert.Null(p.BranchDeploy));

        // Confidential: recorded by its commit, and found by it.
        await MakeConfidentialAsync();
        await SetVisibilityAsync("private");
        var confidential = await _h.Service().DeployAsync(Gate(BranchRequest()), new RecordingReporter(), CancellationToken.None);
        await BranchDeploys.AttachAsync(_h.Store, frontend, pullRequests, "integration", CancellationToken.None);
        Assert.Equal(confidential.Id, pullRequests.Single(p => p.Title == Title).BranchDeploy!.Id);
    }

    [Fact]
    public async Task MergingForAConfidentialApplicationNeedsAPrivateRepositoryOrAForcedAuditedReason()
    {
        await MakeConfidentialAsync();
        var frontend = (await _h.Store.GetApplicationAsync("frontend"))!;
        var service = new ConfidentialService(_h.Store, "tester");
        VisibilityReader read = (app, token) => _gitHub.Repositories.GetVisibilityAsync(app, cancellationToken: token);

        var refused = await Assert.ThrowsAsync<GovukDeployException>(() => service.EnsurePrivateAsync(frontend, "merging #13", false, null, read, new RecordingReporter(), CancellationToken.None));
        Assert.Equal("RepositoryNotPrivate", refused.ErrorId);
        var noReason = await Assert.ThrowsAsync<GovukDeployException>(() => service.EnsurePrivateAsync(frontend, "merging #13", true, " ", read, new RecordingReporter(), CancellationToken.None));
        Assert.Equal("ForceNeedsReason", noReason.ErrorId);
        Assert.Empty(await _h.Store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.ConfidentialOverride] }));

        await service.EnsurePrivateAsync(frontend, "merging #13", true, "Fix must ship now", read, new RecordingReporter(), CancellationToken.None);
        var audited = Assert.Single(await _h.Store.GetAuditEventsAsync(new AuditQuery { Kinds = [AuditKinds.ConfidentialOverride] }));
        Assert.Contains("Merging #13 allowed while alphagov/frontend was public. Reason: Fix must ship now", audited.Detail);

        await SetVisibilityAsync("private");
        await service.EnsurePrivateAsync(frontend, "merging #13", false, null, read, new RecordingReporter(), CancellationToken.None);
        // An application that is not confidential is never checked, public or not.
        await service.EnsurePrivateAsync((await _h.Store.GetApplicationAsync("whitehall"))!, "merging #1", false, null,
            (_, _) => throw new InvalidOperationException("not asked"), new RecordingReporter(), CancellationToken.None);
    }

    [Fact]
    public async Task TurningTheModeOffListsWhatWentOutAndRemindsToMakeAPublicRepositoryPublicAgain()
    {
        var frontend = (await _h.Store.GetApplicationAsync("frontend"))!;
        var service = new ConfidentialService(_h.Store, "tester");
        var reporter = new RecordingReporter();
        var on = await service.TurnOnAsync(frontend, "Incident 42", (app, token) => _gitHub.Repositories.GetVisibilityAsync(app, cancellationToken: token), reporter, CancellationToken.None);
        Assert.Equal(RepositoryVisibility.Public, on.Application.VisibilityWhenConfidential);
        Assert.Contains(reporter.Warnings, w => w.Contains("alphagov/frontend is public") && w.Contains("RepositoryNotPrivate"));
        await Assert.ThrowsAsync<GovukDeployException>(() => service.TurnOnAsync(frontend, " ", (_, _) => Task.FromResult(RepositoryVisibility.Private), reporter, CancellationToken.None));

        await SetVisibilityAsync("private");
        var deployment = await _h.Service().DeployAsync(Gate(BranchRequest()), new RecordingReporter(), CancellationToken.None);
        var off = await service.TurnOffAsync(on.Application, "Fixed and released", CancellationToken.None);
        var lines = ConfidentialService.Describe(off);

        Assert.Contains(lines, l => l.Contains($"branch {deployment.Release} to integration at ") && l.Contains("by tester (Succeeded)"));
        Assert.DoesNotContain(lines, l => l.Contains(Branch));
        Assert.Equal("alphagov/frontend was public when confidential mode was turned on: make it public again now that the fix is released.", ConfidentialService.PublicAgainReminder(off));
    }

    [Fact]
    public async Task AVisibilityGitHubCannotGiveNeverStopsTheModeGoingOn()
    {
        var frontend = (await _h.Store.GetApplicationAsync("frontend"))!;
        var reporter = new RecordingReporter();

        var on = await new ConfidentialService(_h.Store, "tester").TurnOnAsync(frontend, "Incident 42",
            (_, _) => throw new GovukDeployException("GitHubUnreachable", ErrorKind.ConnectionError, "down"), reporter, CancellationToken.None);

        Assert.True(on.Application.Confidential);
        Assert.Equal(RepositoryVisibility.Unknown, on.Application.VisibilityWhenConfidential);
        Assert.Contains(reporter.Warnings, w => w.Contains("RepositoryVisibilityUnknown"));
    }

    [Fact]
    public async Task JenkinsHistoryOfAConfidentialApplicationKeepsNoBranchName()
    {
        await MakeConfidentialAsync();
        var frontend = (await _h.Store.GetApplicationAsync("frontend"))!;
        var build = new JenkinsHistoryBuild
        {
            Number = 7,
            Url = "http://jenkins/job/Deploy_App/7/",
            Result = "SUCCESS",
            Started = frontend.ConfidentialSince!.Value.AddMinutes(1),
            Parameters = new Dictionary<string, string> { ["TARGET_APPLICATION"] = "frontend", ["TAG"] = Branch, ["DEPLOY_TASK"] = "deploy" },
            UserId = "alice-govuk",
        };
        var index = new Dictionary<string, Application>(StringComparer.OrdinalIgnoreCase) { ["frontend"] = frontend };

        var observed = DeploymentObserver.ToObserved(build, "integration", index)!;
        Assert.Equal(ConfidentialRedaction.WithheldBranch, observed.Release);
        Assert.True(observed.IsBranchDeploy);
        Assert.True(observed.Confidential);

        var release = DeploymentObserver.ToObserved(build with { Parameters = new Dictionary<string, string> { ["TARGET_APPLICATION"] = "frontend", ["TAG"] = "release_12" } }, "integration", index)!;
        Assert.Equal("release_12", release.Release);
    }

    [Fact]
    public void SlackTextIsEscapedAndBounded()
    {
        Assert.Equal("a &lt;!channel&gt; &amp; b", SlackAnnouncer.Escape("a <!channel> & b"));
        Assert.Equal("ab", SlackAnnouncer.Escape("a\u001bb"));
        Assert.Equal(SlackAnnouncer.MaxLength + 1, SlackAnnouncer.Escape(new string('x', 10_000)).Length);
    }
}
