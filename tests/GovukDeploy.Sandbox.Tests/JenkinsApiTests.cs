using System.Net;
using System.Text.Json;
using RestSharp;
using RestSharp.Authenticators;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>The Jenkins stand-ins: crumbs tied to sessions, the queue, builds, consoles, folders.</summary>
public sealed class JenkinsApiTests
{
    private static readonly Dictionary<string, string> DeployContacts = new()
    {
        ["TARGET_APPLICATION"] = "contacts",
        ["DEPLOY_TASK"] = "deploy",
        ["TAG"] = "release_8",
    };

    [Fact]
    public async Task APostNeedsAnApiTokenOrACrumbWithItsOwnSessionCookie()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var http = sandbox.Http;
        const string build = "jenkins/integration/job/Smokey/buildWithParameters";

        using (var bare = await http.PostAsync(build, null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, bare.StatusCode);
            Assert.Contains("No valid crumb", await bare.Content.ReadAsStringAsync());
        }

        using var issued = await http.GetAsync("jenkins/integration/crumbIssuer/api/json");
        var crumbJson = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Jenkins-Crumb", crumbJson.GetProperty("crumbRequestField").GetString());
        var crumb = crumbJson.GetProperty("crumb").GetString()!;
        var cookie = issued.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        Assert.StartsWith("JSESSIONID.", cookie);

        // The crumb alone is not enough: it belongs to the session.
        using (var crumbOnly = new HttpRequestMessage(HttpMethod.Post, build))
        {
            crumbOnly.Headers.Add("Jenkins-Crumb", crumb);
            using var response = await http.SendAsync(crumbOnly);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        // Nor does another session's cookie do.
        using var other = await http.GetAsync("jenkins/integration/crumbIssuer/api/json");
        var otherCookie = other.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using (var mismatched = new HttpRequestMessage(HttpMethod.Post, build))
        {
            mismatched.Headers.Add("Jenkins-Crumb", crumb);
            mismatched.Headers.Add("Cookie", otherCookie);
            using var response = await http.SendAsync(mismatched);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using (var withSession = new HttpRequestMessage(HttpMethod.Post, build))
        {
            withSession.Headers.Add("Jenkins-Crumb", crumb);
            withSession.Headers.Add("Cookie", cookie);
            using var response = await http.SendAsync(withSession);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        using (var withToken = new HttpRequestMessage(HttpMethod.Post, build))
        {
            withToken.Headers.Authorization = sandbox.JenkinsBasic();
            using var response = await http.SendAsync(withToken);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Matches(@"^http://127\.0\.0\.1:\d+/jenkins/integration/queue/item/\d+/$", response.Headers.Location!.ToString());
        }

        using (var badToken = new HttpRequestMessage(HttpMethod.Post, build))
        {
            badToken.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("sandbox-developer:wrong"u8.ToArray()));
            using var response = await http.SendAsync(badToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task RestSharpWithACookieContainerFollowsTheCrumbFlow()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var options = new RestClientOptions(sandbox.BaseUrl + "jenkins/staging/") { CookieContainer = new CookieContainer() };
        using var client = new RestClient(options);

        var crumb = await client.GetAsync<CrumbResponse>(new RestRequest("crumbIssuer/api/json"));
        Assert.NotNull(crumb);
        var request = new RestRequest("job/Deploy_App/buildWithParameters", Method.Post)
            .AddHeader(crumb!.CrumbRequestField, crumb.Crumb)
            .AddParameter("TARGET_APPLICATION", "frontend")
            .AddParameter("TAG", "release_12");
        var response = await client.ExecuteAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var location = response.Headers!.Single(h => h.Name!.Equals("Location", StringComparison.OrdinalIgnoreCase)).Value!.ToString()!;
        Assert.Contains("/jenkins/staging/queue/item/", location);

        using var tokenClient = new RestClient(new RestClientOptions(sandbox.BaseUrl + "jenkins/staging/")
        {
            Authenticator = new HttpBasicAuthenticator(sandbox.Server.Credentials.JenkinsUser, sandbox.Server.Credentials.JenkinsApiToken),
        });
        var direct = await tokenClient.ExecuteAsync(new RestRequest("job/Smokey/buildWithParameters", Method.Post));
        Assert.Equal(HttpStatusCode.Created, direct.StatusCode);
    }

    private sealed class CrumbResponse
    {
        public string Crumb { get; set; } = "";
        public string CrumbRequestField { get; set; } = "";
    }

    [Fact]
    public async Task ProgressiveTextReadsStartFromAPostFormAsWellAsTheQuery()
    {
        // The npm jenkins client posts start in a form body; Jenkins reads query and form alike.
        await using var sandbox = await TestSandbox.StartAsync(o => o.DeploySeconds = 0.3);
        var queueUrl = await sandbox.TriggerJenkins("production", "job/Deploy_App", DeployContacts);
        var buildUrl = (await sandbox.WaitForQueueItem(queueUrl)).GetProperty("executable").GetProperty("url").GetString()!;
        await sandbox.WaitForBuild(buildUrl);

        using var whole = await sandbox.Http.GetAsync($"{buildUrl}logText/progressiveText?start=0");
        var size = long.Parse(whole.Headers.GetValues("X-Text-Size").Single());
        Assert.True(size > 10, "the finished build should have a console");

        async Task<(string Text, long Size)> PostStart(long start)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{buildUrl}logText/progressiveText")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["start"] = start.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            };
            request.Headers.Authorization = sandbox.JenkinsBasic();
            using var response = await sandbox.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadAsStringAsync(), long.Parse(response.Headers.GetValues("X-Text-Size").Single()));
        }

        var atEnd = await PostStart(size);
        Assert.Equal("", atEnd.Text);
        Assert.Equal(size, atEnd.Size);

        var lastLine = await PostStart(size - "Finished: SUCCESS\n".Length);
        Assert.Equal("Finished: SUCCESS\n", lastLine.Text);
    }

    [Fact]
    public async Task AQueuedDeployBecomesABuildThatStreamsItsConsoleAndSucceeds()
    {
        // A quiet period long enough to see the item waiting, even on a busy machine.
        await using var sandbox = await TestSandbox.StartAsync(o => { o.DeploySeconds = 1.5; o.QueueSeconds = 1; });
        var queueUrl = await sandbox.TriggerJenkins("production", "job/Deploy_App", DeployContacts);

        var waiting = await sandbox.GetJson(queueUrl + "api/json");
        Assert.Equal("hudson.model.Queue$WaitingItem", waiting.GetProperty("_class").GetString());
        Assert.False(waiting.TryGetProperty("executable", out _));

        var left = await sandbox.WaitForQueueItem(queueUrl);
        Assert.False(left.GetProperty("cancelled").GetBoolean());
        var executable = left.GetProperty("executable");
        var buildUrl = executable.GetProperty("url").GetString()!;
        Assert.Equal($"{sandbox.BaseUrl}jenkins/production/job/Deploy_App/{executable.GetProperty("number").GetInt32()}/", buildUrl);

        var running = await sandbox.GetJson(buildUrl + "api/json");
        Assert.True(running.GetProperty("building").GetBoolean());
        Assert.Equal(JsonValueKind.Null, running.GetProperty("result").ValueKind);
        Assert.Equal(1500, running.GetProperty("estimatedDuration").GetInt64());

        // Follow the console with progressiveText until Jenkins says there is no more.
        var log = new System.Text.StringBuilder();
        long start = 0;
        var sawMoreData = false;
        while (true)
        {
            using var chunk = await sandbox.Http.GetAsync($"{buildUrl}logText/progressiveText?start={start}");
            log.Append(await chunk.Content.ReadAsStringAsync());
            start = long.Parse(chunk.Headers.GetValues("X-Text-Size").Single());
            if (!chunk.Headers.Contains("X-More-Data"))
            {
                break;
            }
            sawMoreData = true;
            await Task.Delay(100);
        }
        Assert.True(sawMoreData);
        Assert.Contains("Deploying contacts release_8 to production", log.ToString());
        Assert.EndsWith("Finished: SUCCESS\n", log.ToString());

        var done = await sandbox.WaitForBuild(buildUrl);
        Assert.Equal("SUCCESS", done.GetProperty("result").GetString());
        Assert.True(done.GetProperty("duration").GetInt64() >= 1000);
        var actions = done.GetProperty("actions").EnumerateArray().ToList();
        var parameters = actions.Single(a => a.GetProperty("_class").GetString() == "hudson.model.ParametersAction").GetProperty("parameters");
        Assert.Contains(parameters.EnumerateArray(), p => p.GetProperty("name").GetString() == "TAG" && p.GetProperty("value").GetString() == "release_8");
        var causes = actions.Single(a => a.GetProperty("_class").GetString() == "hudson.model.CauseAction").GetProperty("causes");
        Assert.Equal("Started by user sandbox-developer", causes[0].GetProperty("shortDescription").GetString());

        // The new build comes after the seeded history, first in the list.
        var job = await sandbox.GetJson("jenkins/production/job/Deploy_App/api/json");
        var number = executable.GetProperty("number").GetInt32();
        Assert.Equal(number, job.GetProperty("lastBuild").GetProperty("number").GetInt32());
        Assert.Equal(number, job.GetProperty("builds")[0].GetProperty("number").GetInt32());
        Assert.Equal(number, job.GetProperty("builds").GetArrayLength());
        Assert.Equal(number + 1, job.GetProperty("nextBuildNumber").GetInt32());

        var deployments = await sandbox.GetJson("_sandbox/release/deployments?environment=production&repo=alphagov/contacts-admin");
        Assert.Contains(deployments.EnumerateArray(), d => d.GetProperty("version").GetString() == "release_8" && d.GetProperty("source").GetString() == "jenkins");
    }

    [Fact]
    public async Task DeployingATagTheAppDoesNotHaveFails()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var queueUrl = await sandbox.TriggerJenkins("staging", "job/Deploy_App", new Dictionary<string, string>
        {
            ["TARGET_APPLICATION"] = "contacts",
            ["TAG"] = "release_9999",
        });
        var build = await sandbox.WaitForBuild((await sandbox.WaitForQueueItem(queueUrl)).GetProperty("executable").GetProperty("url").GetString()!);
        Assert.Equal("FAILURE", build.GetProperty("result").GetString());
        var console = await sandbox.Http.GetStringAsync(build.GetProperty("url").GetString() + "consoleText");
        Assert.Contains("release_9999", console);
    }

    [Fact]
    public async Task ARunningBuildCanBeStoppedAndAWaitingItemCancelled()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => { o.DeploySeconds = 10; o.QueueSeconds = 2; });

        var queueUrl = await sandbox.TriggerJenkins("integration", "job/Deploy_App", DeployContacts);
        var buildUrl = (await sandbox.WaitForQueueItem(queueUrl)).GetProperty("executable").GetProperty("url").GetString()!;
        using (var stop = new HttpRequestMessage(HttpMethod.Post, buildUrl + "stop"))
        {
            stop.Headers.Authorization = sandbox.JenkinsBasic();
            using var response = await sandbox.Http.SendAsync(stop);
            Assert.True(response.StatusCode is HttpStatusCode.Found or HttpStatusCode.OK);
        }
        var stopped = await sandbox.WaitForBuild(buildUrl);
        Assert.Equal("ABORTED", stopped.GetProperty("result").GetString());

        var second = await sandbox.TriggerJenkins("integration", "job/Deploy_App", DeployContacts);
        var id = second.TrimEnd('/').Split('/')[^1];
        using (var cancel = new HttpRequestMessage(HttpMethod.Post, $"jenkins/integration/queue/cancelItem?id={id}"))
        {
            cancel.Headers.Authorization = sandbox.JenkinsBasic();
            using var response = await sandbox.Http.SendAsync(cancel);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
        var cancelled = await sandbox.WaitForQueueItem(second);
        Assert.True(cancelled.GetProperty("cancelled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("executable").ValueKind);
    }

    [Fact]
    public async Task CiJobsLiveInFolders()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var folder = await sandbox.GetJson("jenkins/ci/job/whitehall/api/json");
        Assert.Equal("org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject", folder.GetProperty("_class").GetString());
        var branch = folder.GetProperty("jobs").EnumerateArray().Single();
        Assert.Equal("main", branch.GetProperty("name").GetString());
        Assert.Equal($"{sandbox.BaseUrl}jenkins/ci/job/whitehall/job/main/", branch.GetProperty("url").GetString());

        var job = await sandbox.GetJson("jenkins/ci/job/whitehall/job/main/api/json");
        Assert.Equal("whitehall/main", job.GetProperty("fullName").GetString());
        Assert.Equal(121, job.GetProperty("nextBuildNumber").GetInt32());

        var queueUrl = await sandbox.TriggerJenkins("ci", "job/whitehall/job/main", new Dictionary<string, string>());
        var build = await sandbox.WaitForBuild((await sandbox.WaitForQueueItem(queueUrl)).GetProperty("executable").GetProperty("url").GetString()!);
        Assert.Equal(121, build.GetProperty("number").GetInt32());
        Assert.Equal("SUCCESS", build.GetProperty("result").GetString());

        using var unknown = await sandbox.Http.GetAsync("jenkins/ci/job/whitehall/job/no-such-branch/api/json");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var noJenkins = await sandbox.Http.GetAsync("jenkins/qa/api/json");
        Assert.Equal(HttpStatusCode.NotFound, noJenkins.StatusCode);
    }

    [Fact]
    public async Task TheTreeParameterKeepsOnlyWhatWasAskedFor()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await sandbox.WaitForQueueItem(await sandbox.TriggerJenkins("integration", "job/Smokey", new Dictionary<string, string>()));
        }

        var job = await sandbox.GetJson("jenkins/integration/job/Smokey/api/json?tree=name,builds[number]{0,2},lastBuild[number,url]");
        Assert.Equal(["_class", "name", "builds", "lastBuild"], job.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, job.GetProperty("builds").GetArrayLength());
        Assert.Equal(["_class", "number"], job.GetProperty("builds")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, job.GetProperty("lastBuild").GetProperty("number").GetInt32());

        var root = await sandbox.GetJson("jenkins/integration/api/json?tree=jobs[name]");
        Assert.Equal(["Deploy_App", "Smokey"], root.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("name").GetString()));
        Assert.False(root.GetProperty("jobs")[0].TryGetProperty("url", out _));
    }

    [Fact]
    public async Task TheClassicBuildFormWithJsonParametersIsUnderstood()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "jenkins/staging/job/Deploy_App/build")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["json"] = "{\"parameter\":[{\"name\":\"TARGET_APPLICATION\",\"value\":\"whitehall\"},{\"name\":\"TAG\",\"value\":\"release_120\"}]}",
            }),
        };
        request.Headers.Authorization = sandbox.JenkinsBasic();
        using var response = await sandbox.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var item = await sandbox.WaitForQueueItem(response.Headers.Location!.ToString());
        var build = await sandbox.WaitForBuild(item.GetProperty("executable").GetProperty("url").GetString()!);
        Assert.Equal("SUCCESS", build.GetProperty("result").GetString());
        var parameters = build.GetProperty("actions")[0].GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("value").GetString());
        Assert.Equal("release_120", parameters["TAG"]);
        Assert.Equal("deploy", parameters["DEPLOY_TASK"]);
    }

    [Fact]
    public async Task WhoAmIReflectsTheApiTokenAndTheVersionHeaderIsSent()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var me = await sandbox.GetJson("jenkins/production/me/api/json", sandbox.JenkinsBasic());
        Assert.Equal("sandbox-developer", me.GetProperty("id").GetString());
        var anonymous = await sandbox.GetJson("jenkins/production/whoAmI/api/json");
        Assert.True(anonymous.GetProperty("anonymous").GetBoolean());

        using var root = await sandbox.Http.GetAsync("jenkins/production");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Matches(@"^2\.\d+", root.Headers.GetValues("X-Jenkins").Single());
    }
}
