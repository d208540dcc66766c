using GovukDeploy.Errors;
using NodaTime;

namespace GovukDeploy.Store;

/// <summary>What is frozen for one application now: the store's freezes (global ones included) and the Release app's flag.</summary>
public sealed class ApplicationFreezes
{
    public required Application Application { get; init; }

    /// <summary>The store's freezes in force that concern the application, global ones included.</summary>
    public required IReadOnlyList<DeployFreeze> Stored { get; init; }

    /// <summary>The Release app's deploy_freeze flag as a freeze of every environment; null when it is not set (or unknown).</summary>
    public DeployFreeze? ReleaseApp { get; init; }

    /// <summary>Set when the Release app could not say whether the application is frozen (FreezeStatusUnknown).</summary>
    public GovukDeployException? ReleaseAppUnknown { get; init; }

    /// <summary>What the Release app's client said when it could not answer.</summary>
    public string? ReleaseAppUnknownDetail { get; init; }

    /// <summary>The store's freezes and the Release app's, in that order.</summary>
    public IReadOnlyList<DeployFreeze> All => ReleaseApp is null ? Stored : [.. Stored, ReleaseApp];

    /// <summary>The freezes that stop a deploy to the environment (one for that environment, or for every environment).</summary>
    public IReadOnlyList<DeployFreeze> In(string environment) =>
        All.Where(f => f.Environment == DeployFreeze.Global || f.Environment.Equals(environment, StringComparison.OrdinalIgnoreCase)).ToList();
}

/// <summary>The answer of <see cref="FreezeService.InForceAsync"/>: every freeze the store holds in force for the query, and each application's view.</summary>
public sealed class FreezeSnapshot
{
    /// <summary>The store's freezes in force that the query selected (global ones included), each once.</summary>
    public required IReadOnlyList<DeployFreeze> Stored { get; init; }

    /// <summary>Per application asked about: the store's freezes that concern it and the Release app's flag.</summary>
    public required IReadOnlyList<ApplicationFreezes> ByApplication { get; init; }
}

public sealed partial class FreezeService
{
    /// <summary>
    /// The one query of what is frozen now, used by Get-DeployFreeze, Get-DeployStatus, Test-DeployWindow
    /// and the deploy gate: per application, the store's freezes in force (global ones included; only
    /// those of <paramref name="environment"/> and every environment, when it is given) and the Release
    /// app's flag, asked <see cref="ReleaseAppConcurrency"/> applications at a time. An answer the
    /// Release app could not give is ReleaseAppUnknown, never "not frozen". With <paramref name="cached"/>
    /// an answer the Release app gave a moment ago is used again (Get-DeployFreeze's listing of the whole
    /// catalogue; never "may I deploy?", which must see a flag the moment it is set or cleared); with
    /// <paramref name="askReleaseApp"/> false it is not asked at all (Get-DeployFreeze -StoreOnly).
    /// <paramref name="storeNames"/> widens the store's part (null: every freeze, such as those on
    /// applications that have left the catalogue); by default it is the applications asked about.
    /// </summary>
    public async Task<FreezeSnapshot> InForceAsync(IReadOnlyList<Application> applications, string? environment = null,
        bool cached = false, bool askReleaseApp = true, IReadOnlyList<string>? storeNames = null, bool allStored = false, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetCurrentInstant();
        var at = now.ToDateTimeOffset();
        var target = environment is null ? null : _environments.Require(environment);
        // Every application's freezes in one read of the store; a long list is filtered here rather than in SQL.
        var stored = (await _store.GetFreezesAsync(new FreezeQuery
        {
            Applications = allStored ? null : storeNames ?? (applications.Count is > 0 and <= 200 ? applications.Select(a => a.Name).ToList() : null),
            IncludeGlobal = true,
            At = at,
        }, cancellationToken).ConfigureAwait(false))
            .Where(f => f.IsActiveAt(at) && (target is null || f.Environment == DeployFreeze.Global || f.Environment.Equals(target, StringComparison.OrdinalIgnoreCase)))
            .ToList();

        var answers = new GovukDeploy.Deploys.Gates.ReleaseAppFreezeAnswer?[applications.Count];
        if (_releaseApp is not null && askReleaseApp)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, applications.Count),
                new ParallelOptions { MaxDegreeOfParallelism = ReleaseAppConcurrency, CancellationToken = cancellationToken },
                async (i, ct) => answers[i] = await AskReleaseAppAsync(applications[i], now, cached, ct).ConfigureAwait(false)).ConfigureAwait(false);
        }

        var byApplication = applications.Select((application, i) => new ApplicationFreezes
        {
            Application = application,
            Stored = stored.Where(f => f.IsGlobal || f.Application.Equals(application.Name, StringComparison.OrdinalIgnoreCase)).ToList(),
            ReleaseApp = answers[i] is { Frozen: true } frozen ? ReleaseAppFreeze(application, frozen.Detail, at) : null,
            ReleaseAppUnknown = answers[i] is { Frozen: null } unknown ? FreezeStatusUnknown(application, unknown.Detail) : null,
            ReleaseAppUnknownDetail = answers[i] is { Frozen: null } why ? why.Detail : null,
        }).ToList();
        return new FreezeSnapshot { Stored = stored, ByApplication = byApplication };
    }

    /// <summary>A marker for a listing: the Release app could not say whether the application is frozen.</summary>
    public DeployFreeze UnknownMarker(ApplicationFreezes freezes) => new()
    {
        Application = freezes.Application.Name,
        Environment = DeployFreeze.Global,
        Reason = "Unknown: " + freezes.ReleaseAppUnknown!.Message,
        Contact = "the Release app",
        SetBy = "Release app",
        SetAt = _clock.GetCurrentInstant().ToDateTimeOffset(),
        Source = FreezeSource.ReleaseApp,
        Unknown = true,
    };

    private async Task<GovukDeploy.Deploys.Gates.ReleaseAppFreezeAnswer> AskReleaseAppAsync(Application application, Instant now, bool cached, CancellationToken cancellationToken)
    {
        if (cached && _cache is not null && _cache.TryGet(application.Name, now, out var kept))
        {
            return kept;
        }
        var answer = await _releaseApp!.GetFreezeAsync(application, cancellationToken).ConfigureAwait(false);
        _cache?.Remember(application.Name, now, answer);
        return answer;
    }

    private static DeployFreeze ReleaseAppFreeze(Application application, string note, DateTimeOffset at) => new()
    {
        Application = application.Name,
        Environment = DeployFreeze.Global,
        Reason = note,
        Contact = "the Release app's note on " + application.Name,
        SetBy = "Release app",
        SetAt = at,
        Source = FreezeSource.ReleaseApp,
    };

    private static GovukDeployException FreezeStatusUnknown(Application application, string why) =>
        ErrorCatalogue.FreezeStatusUnknown(application.Name, why.TrimEnd('.'), application.Name);
}
