using GovukDeploy.Deploys;
using GovukDeploy.Errors;
using GovukDeploy.Jenkins;

namespace GovukDeploy.Tests;

/// <summary>Get-DeploymentLog's engine against the sandbox's Jenkins: whole consoles, tails, a running build, typed errors, control characters.</summary>
public sealed class DeploymentLogTests : IAsyncLifetime
{
    private DeployHarness _h = null!;

    public async Task InitializeAsync() => _h = await DeployHarness.StartAsync(o => o.DeploySeconds = 1);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private DeploymentLogReader Reader(JenkinsClientFactory? jenkins = null) =>
        new(jenkins ?? _h.Jenkins(), TimeSpan.FromMilliseconds(50));

    private static Deployment Deployment(string? buildUrl, string environment = "integration", DeploymentStatus status = DeploymentStatus.Succeeded) => new()
    {
        Id = 7, Application = "contacts-admin", Environment = environment, Release = "release_8", DeployedBy = "tester", BuildUrl = buildUrl, Status = status,
    };

    private async Task<string> RunDeployAsync(string tag, bool wait = true)
    {
        var client = _h.Jenkins().For("integration");
        var queued = await client.TriggerAsync("Deploy_App",
            new Dictionary<string, string> { ["TARGET_APPLICATION"] = "contacts", ["DEPLOY_TASK"] = "deploy", ["TAG"] = tag }, CancellationToken.None);
        var build = await client.WaitForBuildAsync(queued, "Deploy_App", null, CancellationToken.None);
        if (wait)
        {
            await client.WaitUntilFinishedAsync(build.Url, null, CancellationToken.None);
        }
        return build.Url;
    }

    private async Task<List<DeploymentLogLine>> ReadAsync(Deployment deployment, int? tail = null, DeploymentLogReader? reader = null, RecordingReporter? reporter = null)
    {
        var lines = new List<DeploymentLogLine>();
        await (reader ?? Reader()).ReadAsync(deployment, tail, lines.Add, reporter ?? new RecordingReporter(), CancellationToken.None);
        return lines;
    }

    [Fact]
    public async Task TheWholeConsoleComesALineAtATimeAndTailGivesTheLastLines()
    {
        var buildUrl = await RunDeployAsync("release_8");

        var all = await ReadAsync(Deployment(buildUrl));

        Assert.Contains(all, l => l.Text == "Deploying contacts release_8 to integration (task: deploy)");
        Assert.Equal("Finished: SUCCESS", all[^1].Text);
        Assert.Equal(Enumerable.Range(1, all.Count).Select(n => (long)n), all.Select(l => l.LineNumber));
        Assert.All(all, l => Assert.Equal(buildUrl, l.BuildUrl));
        Assert.All(all, l => Assert.DoesNotContain('\n', l.Text));

        var tail = await ReadAsync(Deployment(buildUrl), tail: 2);
        Assert.Equal(all.TakeLast(2).Select(l => l.Text), tail.Select(l => l.Text));
        Assert.Equal(all[^1].LineNumber, tail[^1].LineNumber);
        Assert.Empty(await ReadAsync(Deployment(buildUrl), tail: 0));
    }

    [Fact]
    public async Task ARunningBuildIsFollowedUntilItEnds()
    {
        var buildUrl = await RunDeployAsync("release_8", wait: false);
        var reporter = new RecordingReporter();

        var lines = await ReadAsync(Deployment(buildUrl, status: DeploymentStatus.InProgress), reporter: reporter);

        Assert.Equal("Finished: SUCCESS", lines[^1].Text);
        Assert.Contains(reporter.ProgressUpdates, p => p.Activity == "Get-DeploymentLog" && p.Completed);
    }

    [Fact]
    public async Task ControlCharactersInTheConsoleAreMadeVisibleAndLongLinesAreCut()
    {
        // A TAG no deploy could use, which the deploy's console repeats: an escape sequence, a bell and a carriage return.
        var buildUrl = await RunDeployAsync("x\u001b[2J\u001b]0;owned\u0007\rVERBOSE: fake\u202e");

        var lines = await ReadAsync(Deployment(buildUrl));

        var header = Assert.Single(lines, l => l.Text.StartsWith("Deploying contacts", StringComparison.Ordinal));
        Assert.Equal("Deploying contacts x\u241b[2J\u241b]0;owned\u2407\u240dVERBOSE: fake<U+202E> to integration (task: deploy)", header.Text);
        Assert.All(lines, l => Assert.DoesNotContain(l.Text, c => char.IsControl(c) && c != '\t'));

        Assert.Equal("a\tb\nc", VisibleText.Of("a\tb\nc"));
        Assert.Equal("\u2400\u2421<U+009B>", VisibleText.Of("\0\u007f\u009b"));
    }

    [Fact]
    public async Task ADeployWithoutABuildABuildJenkinsDiscardedAndAJenkinsThatIsDownAreTypedErrors()
    {
        var notRecorded = await Assert.ThrowsAsync<GovukDeployException>(() => ReadAsync(Deployment(null, status: DeploymentStatus.InProgress)));
        Assert.Equal("DeploymentBuildNotRecorded", notRecorded.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, notRecorded.Kind);
        Assert.Contains("Wait-Deployment", notRecorded.Message);

        var gone = await Assert.ThrowsAsync<GovukDeployException>(() => ReadAsync(Deployment($"{_h.Server.BaseUrl}jenkins/integration/job/Deploy_App/99999/")));
        Assert.Equal("DeploymentBuildGone", gone.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, gone.Kind);

        // Nothing listens on port 1.
        var down = _h.Jenkins(new JenkinsConnection("http://127.0.0.1:1/jenkins/{environment}/"), DeployHarness.FastPolling with { MaxRetries = 1 });
        var unreachable = await Assert.ThrowsAsync<GovukDeployException>(() =>
            ReadAsync(Deployment("http://127.0.0.1:1/jenkins/integration/job/Deploy_App/3/"), reader: Reader(down)));
        Assert.Equal("JenkinsUnreachable", unreachable.ErrorId);
        Assert.Equal(ErrorKind.ConnectionError, unreachable.Kind);

    }

    [Fact]
    public async Task TheConsoleReadIsBounded()
    {
        var buildUrl = await RunDeployAsync("release_8");
        var reporter = new RecordingReporter();

        var lines = await ReadAsync(Deployment(buildUrl), reader: new DeploymentLogReader(_h.Jenkins(), TimeSpan.FromMilliseconds(50), maxBytes: 1), reporter: reporter);

        Assert.Contains(reporter.Warnings, w => w.Contains("only that much was read", StringComparison.Ordinal));
        Assert.NotEmpty(lines);
    }
}
