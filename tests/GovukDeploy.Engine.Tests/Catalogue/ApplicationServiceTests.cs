using GovukDeploy.Catalogue;
using GovukDeploy.Errors;
using GovukDeploy.Store;
using GovukDeploy.Store.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Testing;

namespace GovukDeploy.Tests.Catalogue;

/// <summary>The facade the catalogue cmdlets call, on a SQLite store.</summary>
public sealed class ApplicationServiceTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "govuk-deploy-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 26, 10, 0));
    private IDeployStore _store = null!;
    private ApplicationService _service = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteDeployStore(Path.Combine(_folder, "store.db"), _clock);
        _service = new ApplicationService(_store, "alice");
        await _service.ImportAsync(CatalogueParser.Parse(
            """
            - github_repo_name: whitehall
              team: "#publishing"
            - github_repo_name: whitehall-frontend
            - github_repo_name: publisher
            - github_repo_name: smart-answers
              puppet_name: smartanswers
            - github_repo_name: panopticon
              retired: true
            """, "seed.yml"));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task APlainNameThatMatchesNothingIsReportedWithTheNearestNames()
    {
        var lookup = await _service.GetAsync(["whitehal", "w*", "nothing*"]);
        Assert.Equal(["whitehall", "whitehall-frontend"], lookup.Found.Select(a => a.Name));
        Assert.Equal(2, lookup.Missing.Count);
        var missing = lookup.Missing[0];
        Assert.Equal(("ApplicationNotFound", ErrorKind.ObjectNotFound, "whitehal"), (missing.ErrorId, missing.Kind, (string?)missing.Target));
        Assert.Contains("Did you mean 'whitehall'", missing.Message);
        // A pattern that matches nothing is an error too, as Get-ChildItem's is.
        var unmatched = lookup.Missing[1];
        Assert.Equal(("NoApplicationMatched", ErrorKind.ObjectNotFound, "nothing*"), (unmatched.ErrorId, unmatched.Kind, (string?)unmatched.Target));

        var wildcard = await Assert.ThrowsAsync<GovukDeployException>(() => _service.GetRequiredAsync("white*"));
        Assert.Equal(("WildcardNotSupported", ErrorKind.InvalidArgument, "white*"), (wildcard.ErrorId, wildcard.Kind, (string?)wildcard.Target));

        var error = await Assert.ThrowsAsync<GovukDeployException>(() => _service.GetRequiredAsync("pubilsher"));
        Assert.Contains("'publisher'", error.Message);
    }

    [Fact]
    public async Task ImportingTheSameFileTwiceChangesNothing()
    {
        var path = Path.Combine(_folder, "catalogue.yml");
        await File.WriteAllTextAsync(path, "- repo_name: frontend\n- repo_name: publisher\n  team: '#new-team'\n");
        var first = await _service.ImportFileAsync(path);
        Assert.Equal((1, 1, 0), (first.Added, first.Changed, first.Unchanged));
        var again = await _service.ImportFileAsync(path);
        Assert.Equal((0, 0, 2), (again.Added, again.Changed, again.Unchanged));
        Assert.Equal(["frontend", "publisher"], again.Applications.Select(a => a.Name));
    }

    [ReferenceDataTheory]
    [InlineData("applications.yml")]
    [InlineData("repos.yml")]
    public async Task TheRealCatalogueFilesImportIntoTheStoreAndAgainChangeNothing(string file)
    {
        var path = ReferenceData.File(file);
        var entries = CatalogueParser.ParseFile(path);
        var first = await _service.ImportFileAsync(path);
        Assert.Equal(entries.Count, first.Added + first.Changed + first.Unchanged);
        var again = await _service.ImportFileAsync(path);
        Assert.Equal((0, 0, entries.Count), (again.Added, again.Changed, again.Unchanged));

        var all = await _store.GetApplicationsAsync(new ApplicationQuery { IncludeRetired = true });
        Assert.All(entries, e => Assert.Contains(all, a => a.Name == e.Application.Name && a.Repository == e.Application.Repository));
        var active = await _store.GetApplicationsAsync(ApplicationQuery.All);
        Assert.DoesNotContain(active, a => a.Retired);
    }

    [Fact]
    public async Task ARejectedFileImportsNothing()
    {
        var path = Path.Combine(_folder, "bad.yml");
        await File.WriteAllTextAsync(path, "- repo_name: brand-new\n- team: '#nobody'\n");
        var error = await Assert.ThrowsAsync<CatalogueInvalidException>(() => _service.ImportFileAsync(path));
        Assert.Equal(2, Assert.Single(error.Problems).Line);
        Assert.Null(await _store.GetApplicationAsync("brand-new"));
    }

    [Fact]
    public async Task NewSetAndRemoveValidateTheirInput()
    {
        var created = await _service.NewAsync("email-alert-api", team: "#platform");
        Assert.Equal(("alphagov/email-alert-api", "email-alert-api"), (created.Repository, created.DeployName));
        Assert.Equal("ApplicationExists", (await Assert.ThrowsAsync<GovukDeployException>(() => _service.NewAsync("Email-Alert-Api"))).ErrorId);
        Assert.Equal("InvalidRepository", (await Assert.ThrowsAsync<GovukDeployException>(() => _service.NewAsync("x", repository: "no-owner"))).ErrorId);
        Assert.Equal("InvalidApplicationName", (await Assert.ThrowsAsync<GovukDeployException>(() => _service.NewAsync("has space"))).ErrorId);

        var changed = await _service.SetAsync("email-alert-api", new ApplicationChanges { DeployName = "email-alert", Team = "" , Retired = true });
        Assert.Equal(("email-alert", null, true), (changed.DeployName, changed.Team, changed.Retired));
        Assert.Equal("email-alert", (await _store.GetApplicationAsync("email-alert-api"))!.DeployName);

        var notFound = await Assert.ThrowsAsync<GovukDeployException>(() => _service.SetAsync("smart-answer", new ApplicationChanges { Team = "#x" }));
        Assert.Contains("'smart-answers'", notFound.Message);

        await _service.RemoveAsync("email-alert-api");
        var history = await _store.GetAuditEventsAsync(new AuditQuery { Applications = ["email-alert-api"] });
        Assert.Equal([AuditKinds.ApplicationAdded, AuditKinds.ApplicationChanged, AuditKinds.ApplicationRemoved], history.Select(e => e.Kind));
        Assert.All(history, e => Assert.Equal("alice", e.Actor));
    }

    [Theory]
    [InlineData("../..")]
    [InlineData("alphagov/..")]
    [InlineData("./x")]
    [InlineData("../x")]
    [InlineData("alphagov/a%2F..")]
    public async Task ARepositoryThatCouldWalkAUrlPathIsRefused(string repository)
    {
        var onNew = await Assert.ThrowsAsync<GovukDeployException>(() => _service.NewAsync("walker", repository: repository));
        Assert.Equal(("InvalidRepository", ErrorKind.InvalidArgument, repository), (onNew.ErrorId, onNew.Kind, onNew.Target));
        var onSet = await Assert.ThrowsAsync<GovukDeployException>(() => _service.SetAsync("whitehall", new ApplicationChanges { Repository = repository }));
        Assert.Equal("InvalidRepository", onSet.ErrorId);
        Assert.Equal("alphagov/whitehall", (await _store.GetApplicationAsync("whitehall"))!.Repository);
    }

    [Fact]
    public async Task NamesAreBoundedWhereverTheyEnter()
    {
        var longName = new string('a', NameRules.MaxLength + 1);
        var refused = new Func<Task>[]
        {
            () => _service.NewAsync(longName),
            () => _service.NewAsync("ok", repository: "alphagov/" + longName),
            () => _service.NewAsync("ok", deployName: longName),
            () => _service.NewAsync("ok", team: longName),
            () => _service.SetAsync("whitehall", new ApplicationChanges { Type = longName }),
            () => _service.SetAsync("whitehall", new ApplicationChanges { ReleaseTagPattern = longName + "*" }),
        };
        foreach (var attempt in refused)
        {
            var error = await Assert.ThrowsAsync<GovukDeployException>(attempt);
            Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
            // The message names the value without repeating all of it.
            Assert.True(error.Message.Length < 600, error.Message);
        }
        Assert.Equal(NameRules.MaxLength, (await _service.NewAsync(new string('b', NameRules.MaxLength))).Name.Length);
    }
}
