using GovukDeploy.Catalogue;
using GovukDeploy.Errors;

namespace GovukDeploy.Tests.Catalogue;

public sealed class CatalogueParserTests
{
    [ReferenceDataFact]
    public void TheRealApplicationsYmlImportsAsIs()
    {
        var path = ReferenceData.File("applications.yml");
        var entries = CatalogueParser.ParseFile(path);

        Assert.Equal(File.ReadLines(path).Count(l => l.StartsWith("- github_repo_name:", StringComparison.Ordinal)), entries.Count);
        var contacts = Assert.Single(entries, e => e.Application.Name == "contacts-admin");
        Assert.Equal(("alphagov/contacts-admin", "contacts", "Publishing apps", "#govuk-publishing-tech"),
            (contacts.Application.Repository, contacts.Application.DeployName, contacts.Application.Type, contacts.Application.Team));
        Assert.Equal(File.ReadLines(path).ToList().FindIndex(l => l == "- github_repo_name: contacts-admin") + 1, contacts.Line);
        Assert.Equal("whitehall", entries.Single(e => e.Application.Name == "whitehall").Application.DeployName);
        Assert.Equal(File.ReadLines(path).Count(l => l.Trim() == "retired: true"), entries.Count(e => e.Application.Retired));
        Assert.Contains(entries, e => e.Application.Name == "panopticon" && e.Application.Retired && e.Application.Repository == "alphagov/panopticon");
    }

    [ReferenceDataFact]
    public void TheRealReposYmlImportsAsIs()
    {
        var path = ReferenceData.File("repos.yml");
        var entries = CatalogueParser.ParseFile(path);

        Assert.Equal(File.ReadLines(path).Count(l => l.StartsWith("- repo_name:", StringComparison.Ordinal)), entries.Count);
        // One repository deployed as several applications, each under its app_name.
        var licensify = entries.Where(e => e.Application.Repository == "alphagov/licensify").Select(e => (e.Application.Name, e.Application.DeployName)).ToList();
        Assert.Equal([("licensify-backend", "licensify-backend"), ("licensify-frontend", "licensify-frontend"), ("licensify-feed", "licensify-feed")], licensify);
        var proxy = entries.Single(e => e.Application.Name == "authenticating-proxy").Application; // has production_url: false
        Assert.Equal(("Supporting apps", "#govuk-content-apis", false), (proxy.Type, proxy.Team, proxy.Retired));
    }

    [Fact]
    public void FieldsWeDoNotUseAndFalseUrlsAreIgnored()
    {
        var entries = CatalogueParser.Parse(
            """
            - repo_name: bouncer
              type: Transition apps
              team: "#govuk-content-apis"
              production_url: false
              argo_cd_apps:
                - bouncer
              alerts_team: "#alerts"
              retired: false
            """, "repos.yml");
        var bouncer = Assert.Single(entries).Application;
        Assert.Equal(("bouncer", "alphagov/bouncer", "bouncer", "Transition apps", "#govuk-content-apis", false),
            (bouncer.Name, bouncer.Repository, bouncer.DeployName, bouncer.Type, bouncer.Team, bouncer.Retired));
    }

    [Fact]
    public void RepoUrlOnGitHubGivesTheRepositoryAndOrganisationDefaultsTheRest()
    {
        var entries = CatalogueParser.Parse(
            """
            - github_repo_name: panopticon
              repo_url: https://github.com/gds-attic/panopticon
              retired: true
            - github_repo_name: ckanext-datagovuk
              puppet_name: ckan
              repo_url: https://example.org/not-github
            """, "applications.yml", organisation: "my-org");
        Assert.Equal(("gds-attic/panopticon", true), (entries[0].Application.Repository, entries[0].Application.Retired));
        Assert.Equal(("my-org/ckanext-datagovuk", "ckan"), (entries[1].Application.Repository, entries[1].Application.DeployName));
        Assert.Equal([1, 4], entries.Select(e => e.Line));
    }

    [Fact]
    public void JsonOfTheSameShapeImports()
    {
        var entries = CatalogueParser.Parse(
            """
            [
            	{ "github_repo_name": "whitehall", "type": "Publishing apps", "team": "#publishing", "production_url": false },
            	{ "repo_name": "licensify", "app_name": "licensify-feed", "retired": true, "unknown": { "nested": [1, 2] } }
            ]
            """, "catalogue.json");
        Assert.Equal(["whitehall", "licensify-feed"], entries.Select(e => e.Application.Name));
        Assert.Equal("alphagov/licensify", entries[1].Application.Repository);
        Assert.True(entries[1].Application.Retired);
        Assert.Equal([2, 3], entries.Select(e => e.Line));
    }

    [Fact]
    public void EveryProblemIsListedWithItsLineAndNothingIsReturned()
    {
        var error = Assert.Throws<CatalogueInvalidException>(() => CatalogueParser.Parse(
            """
            - github_repo_name: whitehall
              type: Publishing apps
            - type: Frontend apps
              team: "#frontend"
            - github_repo_name: WhiteHall
            - github_repo_name: "not a name"
            - github_repo_name: publisher
              retired: sometimes
            - just a string
            - repo_name: frontend
              team: [a, b]
            """, "bad.yml"));

        Assert.Equal("CatalogueInvalid", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        Assert.Equal("bad.yml", error.Target);
        Assert.Equal([3, 5, 6, 7, 9, 10], error.Problems.Select(p => p.Line));
        Assert.Contains("no repository name", error.Problems[0].Message);
        Assert.Contains("duplicate name 'WhiteHall': already defined at line 1", error.Problems[1].Message);
        Assert.Contains("retired must be true or false", error.Problems[3].Message);
        Assert.Contains("'team' must be a single value", error.Problems[5].Message);
        foreach (var problem in error.Problems)
        {
            Assert.Contains($"line {problem.Line}: ", error.Message);
        }
        Assert.Contains("6 problems", error.Message);
    }

    [Fact]
    public void MalformedYamlIsRejectedWithItsLine()
    {
        var error = Assert.Throws<CatalogueInvalidException>(() => CatalogueParser.Parse(
            """
            - github_repo_name: whitehall
              type: Publishing apps
            - github_repo_name: publisher
                team: "#publishing
            """, "broken.yml"));
        var problem = Assert.Single(error.Problems);
        Assert.InRange(problem.Line, 3, 5);
        Assert.Contains("not valid YAML", problem.Message);
    }

    [Fact]
    public void ADuplicateFieldInAnEntryIsRejectedWithItsLine()
    {
        var error = Assert.Throws<CatalogueInvalidException>(() => CatalogueParser.Parse(
            "- repo_name: a\n- repo_name: b\n  team: x\n  team: y\n", "dup.yml"));
        Assert.Equal(4, Assert.Single(error.Problems).Line);
    }

    [Fact]
    public void MalformedJsonIsRejectedWithItsLine()
    {
        var error = Assert.Throws<CatalogueInvalidException>(() => CatalogueParser.Parse(
            "[\n  { \"repo_name\": \"a\" },\n  { \"repo_name\": \"b\" \n  { \"repo_name\": \"c\" }\n]", "broken.json"));
        Assert.InRange(Assert.Single(error.Problems).Line, 3, 4);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("name: not a list\n")]
    public void AFileWithoutAListOfEntriesIsRejected(string text)
    {
        var error = Assert.Throws<CatalogueInvalidException>(() => CatalogueParser.Parse(text, "empty.yml"));
        Assert.Single(error.Problems);
    }

    [Fact]
    public void AMissingFileIsObjectNotFound()
    {
        var error = Assert.Throws<GovukDeployException>(() => CatalogueParser.ParseFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".yml")));
        Assert.Equal(("CatalogueNotFound", ErrorKind.ObjectNotFound), (error.ErrorId, error.Kind));
    }

    [Fact]
    public void DeepNestingIsRefusedBeforeItCanOverflowTheStack()
    {
        // Built into nodes, this would recurse 50,000 deep and kill the process; it must be refused instead.
        var text = new string('[', 50_000) + new string(']', 50_000);
        var error = Assert.Throws<CatalogueInvalidException>(() => CatalogueParser.Parse(text, "deep.yml"));
        Assert.Equal("CatalogueInvalid", error.ErrorId);
        Assert.Contains("nest", Assert.Single(error.Problems).Message);
    }

    [Fact]
    public void OrdinaryNestingIsRead()
    {
        var entries = CatalogueParser.Parse("repos:\n  - repo_name: a\n    extra: { nested: [1, [2, {x: y}]] }\n", "repos.yml");
        Assert.Equal("a", Assert.Single(entries).Application.Name);
    }

    [Theory]
    [InlineData("- github_repo_name: ..\n")]
    [InlineData("- github_repo_name: .\n")]
    [InlineData("- repo_name: ok\n  app_name: ..\n")]
    public void ARepositoryNameThatWalksAPathIsAProblem(string text)
    {
        var error = Assert.Throws<CatalogueInvalidException>(() => CatalogueParser.Parse(text, "walk.yml"));
        Assert.Single(error.Problems);
    }

    [Fact]
    public void AnOrganisationThatWalksAPathIsRefused()
    {
        var error = Assert.Throws<GovukDeployException>(() => CatalogueParser.Parse("- repo_name: a\n", "x.yml", organisation: ".."));
        Assert.Equal("InvalidOrganisation", error.ErrorId);
    }

    [Theory]
    [InlineData("github_repo_name")]
    [InlineData("puppet_name")]
    [InlineData("team")]
    [InlineData("type")]
    public void LongNamesAreProblems(string field)
    {
        var text = field == "github_repo_name"
            ? $"- github_repo_name: {new string('a', 10_000)}\n"
            : $"- github_repo_name: ok\n  {field}: {new string('a', 10_000)}\n";
        var error = Assert.Throws<CatalogueInvalidException>(() => CatalogueParser.Parse(text, "long.yml"));
        Assert.Single(error.Problems);
        Assert.True(error.Message.Length < 1000, "the message shortens the name");
    }
}
