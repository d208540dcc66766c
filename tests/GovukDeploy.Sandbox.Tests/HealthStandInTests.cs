using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GovukDeploy.Sandbox.Icinga;
using GovukDeploy.Sandbox.Sentry;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>The Sentry and Icinga 2 stand-ins answer as the real ones do, and the after-deploy effects land where a person would look.</summary>
public sealed class HealthStandInTests
{
    private static HttpRequestMessage Sentry(TestSandbox sandbox, string path, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? sandbox.Server.Credentials.SentryToken);
        return request;
    }

    private static HttpRequestMessage Icinga(TestSandbox sandbox, string environment, object body, string? password = null, bool overrideHeader = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"icinga/{environment}/v1/objects/services")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (overrideHeader)
        {
            request.Headers.Add("X-HTTP-Method-Override", "GET");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{sandbox.Server.Credentials.IcingaUser}:{password ?? sandbox.Server.Credentials.IcingaPassword}")));
        return request;
    }

    /// <summary>Runs a Jenkins build to its end; its JSON.</summary>
    private static async Task<JsonElement> RunJenkinsBuild(TestSandbox sandbox, string environment, string jobPath, Dictionary<string, string> parameters)
    {
        var queued = await sandbox.TriggerJenkins(environment, jobPath, parameters);
        var item = await sandbox.WaitForQueueItem(queued);
        return await sandbox.WaitForBuild(item.GetProperty("executable").GetProperty("url").GetString()!);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Send(TestSandbox sandbox, HttpRequestMessage request)
    {
        var response = await sandbox.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    [Fact]
    public async Task SentryListsAProjectsIssuesWithTheFieldsRealSentryGives()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (status, body, _) = await Send(sandbox, Sentry(sandbox, "sentry/api/0/projects/govuk/whitehall/issues/?query="));

        Assert.Equal(HttpStatusCode.OK, status);
        var issue = body[0];
        foreach (var field in new[] { "id", "shortId", "title", "level", "count", "firstSeen", "lastSeen", "permalink", "status", "substatus", "project" })
        {
            Assert.True(issue.TryGetProperty(field, out _), $"no {field}");
        }

        // Sentry writes ids and counts as strings.
        Assert.Equal(JsonValueKind.String, issue.GetProperty("id").ValueKind);
        Assert.Equal(JsonValueKind.String, issue.GetProperty("count").ValueKind);
        Assert.StartsWith("WHITEHALL-", issue.GetProperty("shortId").GetString());
        Assert.StartsWith(sandbox.BaseUrl + "sentry/organizations/govuk/issues/", issue.GetProperty("permalink").GetString());
    }

    [Fact]
    public async Task SentryPagesWithALinkCursorAndSaysResultsFalseAtTheEnd()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var project = sandbox.Server.Sentry.FindProject("frontend")!;
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 130; i++)
        {
            sandbox.Server.Sentry.AddIssue(project, $"Error {i}", "error", now, now, 1);
        }

        var (_, first, firstResponse) = await Send(sandbox, Sentry(sandbox, "sentry/api/0/projects/govuk/frontend/issues/?query=level:error"));
        var link = firstResponse.Headers.GetValues("Link").Single();
        Assert.Equal(100, first.GetArrayLength());
        Assert.Contains("rel=\"previous\"; results=\"false\"", link);
        Assert.Contains("rel=\"next\"; results=\"true\"; cursor=\"0:100:0\"", link);

        var (_, second, secondResponse) = await Send(sandbox, Sentry(sandbox, "sentry/api/0/projects/govuk/frontend/issues/?query=level:error&cursor=0:100:0"));
        Assert.True(second.GetArrayLength() >= 30);
        // Like Sentry, the last page still names a next page, with results="false".
        Assert.Contains("rel=\"next\"; results=\"false\"", secondResponse.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task SentrySearchesByFirstSeenLastSeenLevelAndStatus()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var project = sandbox.Server.Sentry.FindProject("frontend")!;
        var since = DateTimeOffset.UtcNow.AddMinutes(-5);
        sandbox.Server.Sentry.AddIssue(project, "After the deploy", "error", since.AddMinutes(1), since.AddMinutes(1), 1);
        sandbox.Server.Sentry.AddIssue(project, "A warning after", "warning", since.AddMinutes(1), since.AddMinutes(1), 1);
        var iso = since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

        var (_, found, _) = await Send(sandbox, Sentry(sandbox, $"sentry/api/0/projects/govuk/frontend/issues/?query={Uri.EscapeDataString($"is:unresolved firstSeen:>{iso} level:[error,fatal]")}"));
        Assert.Equal(["After the deploy"], found.EnumerateArray().Select(i => i.GetProperty("title").GetString()));

        var (badStatus, bad, _) = await Send(sandbox, Sentry(sandbox, "sentry/api/0/projects/govuk/frontend/issues/?query=firstSeen:>yesterday"));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("firstSeen", bad.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task SentryAnswers404ForAnUnknownProjectAnd401WithoutTheToken()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (missing, body, _) = await Send(sandbox, Sentry(sandbox, "sentry/api/0/projects/govuk/no-such-app/issues/"));
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("The requested resource does not exist", body.GetProperty("detail").GetString());

        var (denied, _, _) = await Send(sandbox, Sentry(sandbox, "sentry/api/0/projects/govuk/frontend/issues/", token: "not-the-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, denied);

        // sentry-cli wants Sentry at the root of its address: the same API answers there.
        var (root, _, _) = await Send(sandbox, Sentry(sandbox, "api/0/projects/govuk/frontend/issues/"));
        Assert.Equal(HttpStatusCode.OK, root);
    }

    [Fact]
    public async Task IcingaSelectsServicesWithFilterVarsAndAnswersWithIntegers()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (status, body, _) = await Send(sandbox, Icinga(sandbox, "staging", new
        {
            filter = "service.vars.app == app",
            filter_vars = new { app = "whitehall" },
            attrs = new[] { "state", "state_type", "acknowledgement", "downtime_depth", "last_state_change", "display_name", "host_name" },
        }));

        Assert.Equal(HttpStatusCode.OK, status);
        var result = Assert.Single(body.GetProperty("results").EnumerateArray());
        Assert.Equal("Service", result.GetProperty("type").GetString());
        Assert.EndsWith("!app_healthcheck", result.GetProperty("name").GetString());
        var attrs = result.GetProperty("attrs");
        Assert.Equal("0", attrs.GetProperty("state").GetRawText());
        Assert.Equal("0", attrs.GetProperty("acknowledgement").GetRawText());
        Assert.Equal(JsonValueKind.Number, attrs.GetProperty("last_state_change").ValueKind);
    }

    [Fact]
    public async Task IcingaNeverParsesAFilterVarAsFilterSyntax()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (status, body, _) = await Send(sandbox, Icinga(sandbox, "staging", new
        {
            filter = "service.vars.app == app",
            filter_vars = new { app = "whitehall\" || true || \"" },
        }));

        // Like Icinga, a filter that selects nothing answers 404 "No objects found."
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("No objects found.", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task IcingaWantsBasicAuthAndGETOrTheMethodOverride()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (denied, _, _) = await Send(sandbox, Icinga(sandbox, "staging", new { filter = "true" }, password: "wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, denied);

        var (plainPost, _, _) = await Send(sandbox, Icinga(sandbox, "staging", new { filter = "true" }, overrideHeader: false));
        Assert.Equal(HttpStatusCode.BadRequest, plainPost);

        var (badFilter, body, _) = await Send(sandbox, Icinga(sandbox, "staging", new { filter = "service.vars.app ==" }));
        Assert.Equal(HttpStatusCode.BadRequest, badFilter);
        Assert.Contains("Invalid filter", body.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("service.vars.app == app", true)]
    [InlineData("service.vars.app != app", false)]
    [InlineData("match(pattern, service.vars.app)", true)]
    [InlineData("regex(\"^white\", service.vars.app) && service.state == ServiceOK", true)]
    [InlineData("app in service.vars.apps", true)]
    [InlineData("!(app in service.vars.apps) || false", false)]
    [InlineData("app !in service.vars.apps", false)]
    [InlineData("service.state >= 2", false)]
    [InlineData("host.name == \"h1\" && service.vars.missing == null", true)]
    public void IcingaFiltersEvaluateTheShapesTheModuleSends(string filter, bool expected)
    {
        var service = new Dictionary<string, object?>
        {
            ["state"] = 0,
            ["vars"] = new Dictionary<string, object?> { ["app"] = "whitehall", ["apps"] = new List<object?> { "whitehall", "frontend" } },
        };
        var scope = new Dictionary<string, object?>
        {
            ["service"] = service,
            ["host"] = new Dictionary<string, object?> { ["name"] = "h1" },
            ["app"] = "whitehall",
            ["pattern"] = "white*",
        };

        Assert.Equal(expected, IcingaFilter.Parse(filter).Matches(scope));
    }

    [Fact]
    public void AnUndefinedFilterVariableIsAnErrorAsInIcinga()
    {
        var filter = IcingaFilter.Parse("service.vars.app == app");
        var error = Assert.Throws<FormatException>(() => filter.Matches(new Dictionary<string, object?> { ["service"] = new Dictionary<string, object?>() }));
        Assert.Contains("undefined script variable 'app'", error.Message);
    }

    [Fact]
    public async Task AfterTheNextDeployTheScriptedErrorAndAlertAppearAndSmokeyFails()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var listing = await sandbox.GetJson("_sandbox/");
        Assert.Contains(listing.GetProperty("endpoints").EnumerateArray(), e => e.GetString()!.Contains("/_sandbox/after-deploy", StringComparison.Ordinal));
        Assert.Contains("smoke-failure", listing.GetProperty("aftermathEffects").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("icinga", listing.GetProperty("faultServices").EnumerateArray().Select(e => e.GetString()));
        foreach (var effect in new[] { "new-error", "critical-alert", "smoke-failure" })
        {
            using var scripted = await sandbox.PostJson("_sandbox/after-deploy", new { application = "contacts-admin", environment = "integration", effect });
            Assert.Equal(HttpStatusCode.Created, scripted.StatusCode);
        }

        var before = sandbox.Server.Sentry.FindProject("contacts-admin")!.Issues.Count;
        // Deploy_App knows the application by its deploy name.
        await RunJenkinsBuild(sandbox, "integration", "job/Deploy_App", new Dictionary<string, string> { ["TARGET_APPLICATION"] = "contacts", ["TAG"] = "release_8" });

        Assert.Equal(before + 1, sandbox.Server.Sentry.FindProject("contacts-admin")!.Issues.Count);
        Assert.Contains(sandbox.Server.Icinga.Services("integration"), s => s.State == 2 && Equals(s.Vars["app"], "contacts-admin"));
        var smokey = await RunJenkinsBuild(sandbox, "integration", "job/Smokey", new Dictionary<string, string> { ["TARGET_APPLICATION"] = "contacts" });
        Assert.Equal("FAILURE", smokey.GetProperty("result").GetString());
        Assert.Empty((await sandbox.GetJson("_sandbox/after-deploy")).GetProperty("pending").EnumerateArray());
    }

    [Fact]
    public async Task FaultsHitTheSentryAndIcingaStandIns()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using (var fault = await sandbox.PostJson("_sandbox/faults", new { service = "sentry", kind = "down" }))
        {
            Assert.Equal(HttpStatusCode.Created, fault.StatusCode);
        }

        using (var fault = await sandbox.PostJson("_sandbox/faults", new { service = "icinga", kind = "errors", environment = "production" }))
        {
            Assert.Equal(HttpStatusCode.Created, fault.StatusCode);
        }

        using var sentry = await sandbox.Http.SendAsync(Sentry(sandbox, "sentry/api/0/projects/govuk/frontend/issues/"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, sentry.StatusCode);
        using var staging = await sandbox.Http.SendAsync(Icinga(sandbox, "staging", new { filter = "service.vars.app == app", filter_vars = new { app = "frontend" } }));
        Assert.Equal(HttpStatusCode.OK, staging.StatusCode);
        using var production = await sandbox.Http.SendAsync(Icinga(sandbox, "production", new { filter = "service.vars.app == app", filter_vars = new { app = "frontend" } }));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, production.StatusCode);
    }
}
