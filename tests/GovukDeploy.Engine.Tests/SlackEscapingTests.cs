using GovukDeploy.Configuration;
using GovukDeploy.Deploys;

namespace GovukDeploy.Tests;

/// <summary>Nothing a person or a repository names can become a Slack mention or link: what the sandbox's Slack inbox receives.</summary>
public sealed class SlackEscapingTests : IAsyncLifetime
{
    private const string Branch = "<!here>";
    private const string Announce = "x|<https://evil.example|click> & <!channel>";
    private DeployHarness _h = null!;

    public async Task InitializeAsync() => _h = await DeployHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ABranchAndAnAnnouncementReachSlackAsText()
    {
        lock (_h.Server.GitHub.Sync)
        {
            var repository = _h.Server.GitHub.FindRepository("alphagov", "frontend")!;
            repository.Branches[Branch] = repository.Branches["main"];
        }

        using var slack = new SlackAnnouncer(new Secret(_h.Server.BaseUrl + "slack/services/T000/B000/escaping-tests"));
        var service = new DeployService(_h.Gates(), _h.Runner(slack: slack));
        var request = DeployHarness.Request("frontend", "integration", branch: Branch) with { Announce = Announce };
        await service.DeployAsync(new Deploys.Gates.GateRequest
        {
            Deploy = request,
            RefExists = (_, _, _) => Task.FromResult(true),
            BranchHead = (_, _, _) => Task.FromResult<string?>(null),
        }, new RecordingReporter(), CancellationToken.None);

        var text = (await _h.GetJsonAsync("_sandbox/slack/messages")).EnumerateArray().Select(m => m.GetProperty("text").GetString()!).Single();
        Assert.DoesNotContain("<", text);
        Assert.DoesNotContain(">", text);
        Assert.Contains("&lt;!here&gt;", text);
        Assert.Contains("x|&lt;https://evil.example|click&gt; &amp; &lt;!channel&gt;", text);
    }
}
