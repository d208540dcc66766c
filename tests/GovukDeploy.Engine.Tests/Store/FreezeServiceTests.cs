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
    public async Task ManyAppsAreFrozenInEveryEnvironmentButTheFirstByDefault()
    {
        var set = await _freezes.SetAsync(["w*", "PUBLISHER"], "Election", "#govuk-2ndline", Now.AddDays(3));
        Assert.Equal(6, set.Count);
        Assert.Equal(["production", "staging"], set.Select(f => f.Environment).Distinct().Order());
        Assert.Equal(["publisher", "whitehall", "whitehall-frontend"], set.Select(f => f.Application).Distinct().Order());
        Assert.All(set, f => Assert.Equal("alice", f.SetBy));

        var production = await _freezes.SetAsync(["whitehall"], "Incident", "bob", environments: ["Production"]);
        Assert.Equal("production", Assert.Single(production).Environment);
        Assert.Equal(6, (await _freezes.GetAsync()).Count);
        Assert.Equal(7, (await _freezes.GetAsync(includeLifted: true)).Count);
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
        await _freezes.SetGlobalAsync("Christmas", "#govuk-2ndline", environments: ["production"]);
        await _freezes.SetAsync(["publisher"], "Migration", "carol", environments: ["production", "staging"]);

        var forWhitehall = await _freezes.GetAsync(["whitehall"]);
        Assert.True(Assert.Single(forWhitehall).IsGlobal);

        _clock.AdvanceMinutes(30);
        var lifted = (await _freezes.LiftGlobalAsync(["production"])).Concat(await _freezes.LiftAsync(["publisher"], ["production"])).ToList();
        Assert.Equal(2, lifted.Count);
        Assert.All(lifted, f => Assert.Equal(("alice", Now), (f.LiftedBy, f.LiftedAt!.Value)));
        Assert.Equal(("publisher", "staging"), (await _freezes.GetAsync()).Select(f => (f.Application, f.Environment)).Single());
    }

    [Fact]
    public async Task AFrozenAppRemovedFromTheCatalogueCanStillBeUnfrozen()
    {
        await _freezes.SetAsync(["whitehall-frontend"], "r", "c");
        await _store.RemoveApplicationAsync("whitehall-frontend", "alice");
        Assert.Equal(2, (await _freezes.LiftAsync(["whitehall-frontend"])).Count);
        Assert.Equal("ApplicationNotFound", (await Assert.ThrowsAsync<GovukDeployException>(() => _freezes.LiftAsync(["whitehall-frontend"]))).ErrorId);
    }

    [Theory]
    [InlineData("whitehal[")]
    [InlineData("[xyz]*")]
    [InlineData("nomatch*")]
    public async Task AFreezeWhosePatternMatchesNoApplicationIsRefused(string pattern)
    {
        var refused = await Assert.ThrowsAsync<GovukDeployException>(() => _freezes.SetAsync([pattern], "r", "c"));
        Assert.Equal(pattern, refused.Target);
        Assert.Equal(pattern == "whitehal[" ? ("InvalidWildcardPattern", ErrorKind.InvalidArgument) : ("NoApplicationMatched", ErrorKind.ObjectNotFound),
            (refused.ErrorId, refused.Kind));
        Assert.Empty(await _freezes.GetAsync(includeLifted: true));
    }

    [Fact]
    public async Task PatternsArePowerShellWildcardsWithSets()
    {
        var set = await _freezes.SetAsync(["[pw]*[^d]"], "r", "c", environments: ["production"]);
        // [^d] is not a negation in PowerShell: it is the set of '^' and 'd', so only whitehall-frontend ends in one of them.
        Assert.Equal(["whitehall-frontend"], set.Select(f => f.Application));
        var both = await _freezes.SetAsync(["[pw]?b*", "w*l"], "r", "c", environments: ["production"]);
        Assert.Equal(["publisher", "whitehall"], both.Select(f => f.Application).Order());
        // '[wf]*' froze nothing before: the set was read as literal text.
        var set2 = await _freezes.SetAsync(["[wf]*"], "r", "c", environments: ["staging"]);
        Assert.Equal(["whitehall", "whitehall-frontend"], set2.Select(f => f.Application).Order());
    }

    [Fact]
    public async Task RemovingStarLiftsEveryApplicationsFreezeButNotTheGlobalOne()
    {
        await _freezes.SetGlobalAsync("Christmas", "#govuk-2ndline");
        await _freezes.SetAsync(["whitehall", "publisher"], "Migration", "carol");

        var lifted = await _freezes.LiftAsync(["*"]);

        Assert.Equal(["publisher", "whitehall"], lifted.Select(f => f.Application).Distinct().Order());
        Assert.All(await _freezes.GetAsync(), f => Assert.True(f.IsGlobal));
        Assert.Equal(2, (await _freezes.LiftGlobalAsync()).Count);
        Assert.Empty(await _freezes.GetAsync());
    }

    [Fact]
    public async Task UnderTwoEnvironmentsAFreezeCoversTheSecondByDefault()
    {
        var freezes = new FreezeService(_store, _clock, "alice", new GovukDeploy.Configuration.EnvironmentPolicy(["dev", "prod"]));
        var set = await freezes.SetAsync(["whitehall"], "r", "c");
        Assert.Equal("prod", Assert.Single(set).Environment);
        var unknown = await Assert.ThrowsAsync<GovukDeployException>(() => freezes.SetAsync(["whitehall"], "r", "c", environments: ["staging"]));
        Assert.Equal(("UnknownEnvironment", "staging"), (unknown.ErrorId, unknown.Target));
    }

    [Fact]
    public async Task TheReleaseAppIsAskedEightAtATimeRememberedBrieflyAndUnknownIsNeverNotFrozen()
    {
        var names = Enumerable.Range(1, 20).Select(i => $"app-{i}").ToList();
        await _store.UpsertApplicationsAsync(names.Select(n => new Application { Name = n, Repository = $"alphagov/{n}", DeployName = n }).ToList(), "seed");
        var applications = await _store.GetApplicationsAsync(new ApplicationQuery { Names = names });
        var releaseApp = new CountingReleaseApp(name => name == "app-3" ? new(true, "Frozen: the whole note, in full")
            : name == "app-4" ? GovukDeploy.Deploys.Gates.ReleaseAppFreezeAnswer.Unknown("it answered 500") : new(false, "no"));
        var freezes = new FreezeService(_store, _clock, "alice", null, releaseApp, new ReleaseAppFreezeCache());

        var snapshot = await freezes.InForceAsync(applications, cached: true);

        Assert.Equal(20, releaseApp.Calls);
        Assert.InRange(releaseApp.MostAtOnce, 2, FreezeService.ReleaseAppConcurrency);
        var frozen = snapshot.ByApplication.Single(a => a.Application.Name == "app-3");
        Assert.Equal(("*", FreezeSource.ReleaseApp, "Frozen: the whole note, in full"), (frozen.ReleaseApp!.Environment, frozen.ReleaseApp.Source, frozen.ReleaseApp.Reason));
        var unknown = snapshot.ByApplication.Single(a => a.Application.Name == "app-4");
        Assert.Equal(("FreezeStatusUnknown", "app-4"), (unknown.ReleaseAppUnknown!.ErrorId, (string?)unknown.ReleaseAppUnknown.Target));
        Assert.True(freezes.UnknownMarker(unknown).Unknown);

        // Known answers are remembered for a short while for a listing; the unknown one is asked again, and "may I deploy?" always asks afresh.
        await freezes.InForceAsync(applications, cached: true);
        Assert.Equal(21, releaseApp.Calls);
        await freezes.InForceAsync([applications[0]]);
        Assert.Equal(22, releaseApp.Calls);
        _clock.Advance(Duration.FromMinutes(1));
        await freezes.InForceAsync(applications, cached: true);
        Assert.Equal(42, releaseApp.Calls);
    }

    private sealed class CountingReleaseApp(Func<string, GovukDeploy.Deploys.Gates.ReleaseAppFreezeAnswer> answer) : GovukDeploy.Deploys.Gates.IReleaseAppFreezeSource
    {
        private int _running;
        private int _calls;
        private int _mostAtOnce;

        public int Calls => _calls;
        public int MostAtOnce => _mostAtOnce;

        public async Task<GovukDeploy.Deploys.Gates.ReleaseAppFreezeAnswer> GetFreezeAsync(Application application, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var now = Interlocked.Increment(ref _running);
            int seen;
            while ((seen = _mostAtOnce) < now && Interlocked.CompareExchange(ref _mostAtOnce, now, seen) != seen)
            {
            }
            await Task.Delay(20, cancellationToken);
            Interlocked.Decrement(ref _running);
            return answer(application.Name);
        }
    }
}
