using GovukDeploy.Sandbox.Hosting;
using GovukDeploy.Sandbox.Seed;

namespace GovukDeploy.Sandbox.Tests;

/// <summary>Seeding from a GOV.UK catalogue file.</summary>
public sealed class SeedTests
{
    [Fact]
    public async Task AnApplicationsYmlCatalogueSeedsEachLiveAppWithAFewReleases()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, """
            # publishing apps
            - github_repo_name: contacts-admin
              type: Publishing apps
              puppet_name: contacts
              team: "#govuk-publishing-tech"
              production_hosted_on: aws
            - github_repo_name: old-thing
              retired: true
            - github_repo_name: collections-publisher
              actors:
              - Publisher
            """);
        try
        {
            await using var sandbox = await TestSandbox.StartAsync(o => o.SeedPath = path);
            var repos = sandbox.Server.GitHub.Repositories().Select(r => r.Name).ToList();
            Assert.Equal(["collections-publisher", "contacts-admin"], repos);
            var tags = await sandbox.GitHub().Repository.GetAllTags("alphagov", "collections-publisher");
            Assert.Equal(CatalogueSeed.ReleasesPerApp, tags.Count);
            // The first app listed carries the demo pull requests.
            Assert.Equal(5, (await sandbox.GitHub().PullRequest.GetAllForRepository("alphagov", "contacts-admin")).Count);
            Assert.Empty(await sandbox.GitHub().PullRequest.GetAllForRepository("alphagov", "collections-publisher"));
            var app = await sandbox.GetJson("release/applications/contacts.json");
            Assert.Equal("alphagov/contacts-admin", app.GetProperty("repo").GetString());

            // Catalogue apps get a deploy history too: Integration runs release_3, Staging release_2, Production release_1.
            var staging = await SeededHistoryTests.History(sandbox, "staging");
            Assert.Equal(["release_2", "release_2", "release_1", "release_1"], staging.Select(b => b.Tag));
            Assert.Equal(["collections-publisher", "contacts"], staging.Select(b => b.Application).Distinct().Order());
            Assert.Equal(3, (await SeededHistoryTests.History(sandbox, "integration")).Count(b => b.Application == "contacts"));
            Assert.Equal(await DeployedBranchTests.CommitOf(sandbox, "collections-publisher", "release_1"),
                await DeployedBranchTests.BranchSha(sandbox, "collections-publisher", "deployed-to-production"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AReposYmlCatalogueIsReadByRepoName()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, """
            - repo_name: account-api
              type: APIs
              alerts_team: "#govuk-x"
              production_hosted_on: eks
            - repo_name: bouncer
              production_url: false
            """);
        try
        {
            await using var sandbox = await TestSandbox.StartAsync(o => o.SeedPath = path);
            Assert.Equal(["account-api", "bouncer"], sandbox.Server.GitHub.Repositories().Select(r => r.Name));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SharedDataFact]
    public void TheRealCataloguesParseWhenTheSharedDataIsPresent()
    {
        foreach (var name in new[] { "applications.yml", "repos.yml" })
        {
            var shared = SharedData.File(name);
            var entries = CatalogueSeed.Read(shared);
            Assert.True(entries.Count > 20, $"{name} gave only {entries.Count} entries");
            Assert.All(entries, e => Assert.False(string.IsNullOrWhiteSpace(e.GithubRepoName ?? e.RepoName)));
        }
    }

    [Fact]
    public void BadOptionsAreExplained()
    {
        Assert.Contains("--port", Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(["--port", "x"])).Message);
        Assert.Contains("Unknown option", Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(["--nope"])).Message);
        var options = SandboxOptions.Parse(["--port", "8123", "--deploy-seconds", "0.5", "--ci-seconds", "2", "--seed", "a.yml", "--holidays", "b.json"]);
        Assert.Equal(8123, options.Port);
        Assert.Equal(0.5, options.DeploySeconds);
        Assert.Equal(2, options.CiSeconds);
        Assert.Equal("a.yml", options.SeedPath);
        Assert.Equal("b.json", options.HolidaysPath);
    }
}
