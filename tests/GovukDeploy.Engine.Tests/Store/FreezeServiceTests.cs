using GovukDeploy.Errors;
using GovukDeploy.Store;
using GovukDeploy.Store.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Testing;

namespace GovukDeploy.Tests.Store;

/// <summary>The facade the freeze cmdlets call, on a SQLite store.</summary>
public sealed class FreezeServiceTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "govuk-deploy-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 26, 10, 0));
    private IDeployStore _store = null!;
    private FreezeService _freezes = null!;

    private DateTimeOffset Now => _clock.GetCurrentInstant().ToDateTimeOffset();

    public async Task InitializeAsync()
    {
        _store = new SqliteDeployStore(Path.Combine(_folder, "store.db"), _clock);
        _freezes = new FreezeService(_store, _clock, "alice");
        await _store.UpsertApplicationsAsync(
            new[] { "whitehall", "whitehall-frontend", "publisher" }.Select(n => new Application { Name = n, Repository = $"alphagov/{n}", DeployName = n }).ToList(), "seed");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ManyAppsAreFrozenInEveryEnvironmentByDefault()
    {
        var set = await _freezes.SetAsync(["w*", "PUBLISHER"], "Election", "#govuk-2ndline", Now.AddDays(3));
        Assert.Equal(9, set.Count);
        Assert.Equal(["publisher", "whitehall", "whitehall-frontend"], set.Select(f => f.Application).Distinct().Order());
        Assert.All(set, f => Assert.Equal("alice", f.SetBy));

        var production = await _freezes.SetAsync(["whitehall"], "Incident", "bob", environments: ["Production"]);
        Assert.Equal("production", Assert.Single(production).Environment);
        Assert.Equal(9, (await _freezes.GetAsync()).Count);
        Assert.Equal(10, (await _freezes.GetAsync(includeLifted: true)).Count);
    }

    [Fact]
    public async Task BadFreezesAreRefusedWithTheRightErrors()
    {
        async Task<GovukDeployException> Refused(Func<Task> action) => await Assert.ThrowsAsync<GovukDeployException>(action);

        Assert.Equal("FreezeReasonRequired", (await Refused(() => _freezes.SetAsync(["whitehall"], " ", "c"))).ErrorId);
        Assert.Equal("FreezeContactRequired", (await Refused(() => _freezes.SetAsync(["whitehall"], "r", ""))).ErrorId);
        var past = await Refused(() => _freezes.SetAsync(["whitehall"], "r", "c", Now.AddMinutes(-1)));
        Assert.Equal(("FreezeUntilInPast", ErrorKind.InvalidArgument), (past.ErrorId, past.Kind));
        Assert.Equal("UnknownEnvironment", (await Refused(() => _freezes.SetAsync(["whitehall"], "r", "c", environments: ["prod"]))).ErrorId);
        var unknown = await Refused(() => _freezes.SetAsync(["whitehall", "publsher"], "r", "c"));
        Assert.Equal(("ApplicationNotFound", ErrorKind.ObjectNotFound), (unknown.ErrorId, unknown.Kind));
        Assert.Contains("'publisher'", unknown.Message);
        Assert.Empty(await _freezes.GetAsync(includeLifted: true)); // all or nothing
    }

    [Fact]
    public async Task GlobalFreezesAndLiftingThem()
    {
        await _freezes.SetAsync([DeployFreeze.Global], "Christmas", "#govuk-2ndline", environments: ["production"]);
        await _freezes.SetAsync(["publisher"], "Migration", "carol", environments: ["production", "staging"]);

        var forWhitehall = await _freezes.GetAsync(["whitehall"]);
        Assert.True(Assert.Single(forWhitehall).IsGlobal);

        _clock.AdvanceMinutes(30);
        var lifted = await _freezes.LiftAsync([DeployFreeze.Global, "publisher"], ["production"]);
        Assert.Equal(2, lifted.Count);
        Assert.All(lifted, f => Assert.Equal(("alice", Now), (f.LiftedBy, f.LiftedAt!.Value)));
        Assert.Equal(("publisher", "staging"), (await _freezes.GetAsync()).Select(f => (f.Application, f.Environment)).Single());
    }

    [Fact]
    public async Task AFrozenAppRemovedFromTheCatalogueCanStillBeUnfrozen()
    {
        await _freezes.SetAsync(["whitehall-frontend"], "r", "c");
        await _store.RemoveApplicationAsync("whitehall-frontend", "alice");
        Assert.Equal(3, (await _freezes.LiftAsync(["whitehall-frontend"])).Count);
        Assert.Equal("ApplicationNotFound", (await Assert.ThrowsAsync<GovukDeployException>(() => _freezes.LiftAsync(["whitehall-frontend"]))).ErrorId);
    }
}
