using System.Net;
using System.Net.Http.Headers;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>The Release app stand-in and the bank-holiday feed.</summary>
public sealed class ReleaseAndFeedTests
{
    [Fact]
    public async Task TheReleaseAppDescribesAnApplicationByItsDeployName()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var app = await sandbox.GetJson("release/applications/contacts.json");
        Assert.Equal("contacts", app.GetProperty("shortname").GetString());
        Assert.Equal("Contacts Admin", app.GetProperty("name").GetString());
        Assert.False(app.GetProperty("deploy_freeze").GetBoolean());
        Assert.Equal("", app.GetProperty("notes").GetString());
        Assert.Equal($"{sandbox.BaseUrl}alphagov/contacts-admin", app.GetProperty("repository_url").GetString());
        Assert.Equal("main", app.GetProperty("repository_default_branch").GetString());
        Assert.True(app.GetProperty("continuously_deployed").GetBoolean());

        using var missing = await sandbox.Http.GetAsync("release/applications/no-such-app.json");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task AFreezeSetThroughTheControlEndpointShowsInTheReleaseApp()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var set = await sandbox.PostJson("_sandbox/release/applications/whitehall", new { deploy_freeze = true, notes = "Frozen for the election" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        var app = await sandbox.GetJson("release/applications/whitehall.json");
        Assert.True(app.GetProperty("deploy_freeze").GetBoolean());
        Assert.Equal("Frozen for the election", app.GetProperty("notes").GetString());

        using var unknown = await sandbox.PostJson("_sandbox/release/applications/nope", new { deploy_freeze = true });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task RecordingADeploymentNeedsTheBearerTokenAndIsKept()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var form = new Dictionary<string, string>
        {
            ["repo"] = "alphagov/frontend",
            ["deployment[version]"] = "release_12",
            ["deployment[environment]"] = "staging",
        };

        using (var anonymous = await sandbox.Http.PostAsync("release/deployments", new FormUrlEncodedContent(form)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using (var wrong = new HttpRequestMessage(HttpMethod.Post, "release/deployments") { Content = new FormUrlEncodedContent(form) })
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
            using var response = await sandbox.Http.SendAsync(wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using (var good = new HttpRequestMessage(HttpMethod.Post, "release/deployments") { Content = new FormUrlEncodedContent(form) })
        {
            good.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.Server.Credentials.ReleaseAppToken);
            using var response = await sandbox.Http.SendAsync(good);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var recorded = await sandbox.GetJson("_sandbox/release/deployments?repo=alphagov/frontend&environment=staging");
        Assert.Contains(recorded.EnumerateArray(), d => d.GetProperty("version").GetString() == "release_12" && d.GetProperty("source").GetString() == "api");
    }

    [Fact]
    public async Task TheFeedServesTheGivenFileVerbatim()
    {
        var path = Path.GetTempFileName();
        var content = "{\"england-and-wales\":{\"division\":\"england-and-wales\",\"events\":[{\"title\":\"Christmas Day\",\"date\":\"2026-12-25\",\"notes\":\"\",\"bunting\":true}]}}\n";
        await File.WriteAllTextAsync(path, content);
        try
        {
            await using var sandbox = await TestSandbox.StartAsync(o => o.HolidaysPath = path);
            using var response = await sandbox.Http.GetAsync("bank-holidays.json");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(content, await response.Content.ReadAsStringAsync());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SharedDataFact]
    public async Task TheFeedServesGovuksPublishedFileWhenTheSharedDataIsPresent()
    {
        var shared = SharedData.File("bank-holidays.json");
        await using var sandbox = await TestSandbox.StartAsync(o => o.HolidaysPath = shared);
        var bytes = await sandbox.Http.GetByteArrayAsync("bank-holidays.json");
        Assert.Equal(await File.ReadAllBytesAsync(shared), bytes);
    }

    [Fact]
    public async Task WithoutAFileTheFeedSaysHowToGiveOne()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var response = await sandbox.Http.GetAsync("bank-holidays.json");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("--holidays", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheControlRootListsItsEndpointsAndFaultKinds()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var root = await sandbox.GetJson("_sandbox/");
        Assert.Contains(root.GetProperty("endpoints").EnumerateArray(), e => e.GetString()!.Contains("/faults"));
        Assert.Contains(root.GetProperty("faultKinds").EnumerateArray(), k => k.GetString() == "deploy-hang");
        var info = await sandbox.GetJson("_sandbox/info");
        Assert.Equal(sandbox.BaseUrl + "api/v3/", info.GetProperty("gitHubApiUrl").GetString());
    }
}
