using GovukDeploy.Catalogue;
using GovukDeploy.Configuration;
using GovukDeploy.Deploys.Gates;
using GovukDeploy.Errors;
using NodaTime;

namespace GovukDeploy.Store;

/// <summary>
/// Deploy freezes as the cmdlets and the deploy gates use them: validation (a reason, a contact,
/// an Until in the future, known applications and environments) on top of the store, and the one
/// query of what is frozen now, the store's freezes and the Release app's flag together
/// (<see cref="InForceAsync"/>). Many applications are frozen or unfrozen in one transaction.
/// </summary>
public sealed partial class FreezeService
{
    /// <summary>How many applications the Release app is asked about at once.</summary>
    public const int ReleaseAppConcurrency = 8;

    private readonly IDeployStore _store;
    private readonly IClock _clock;
    private readonly Lazy<string> _actor;
    private readonly EnvironmentPolicy _environments;
    private readonly IReleaseAppFreezeSource? _releaseApp;
    private readonly ReleaseAppFreezeCache? _cache;

    /// <summary>A service on the system clock, for callers that keep NodaTime out of their signatures.</summary>
    public FreezeService(IDeployStore store, string actor, EnvironmentPolicy? environments = null)
        : this(store, SystemClock.Instance, actor, environments)
    {
    }

    /// <param name="releaseApp">The Release app, whose deploy_freeze flag freezes every environment; null when none is configured.</param>
    /// <param name="cache">Remembers the Release app's answers briefly, for listings; the deploy gate asks afresh.</param>
    public FreezeService(IDeployStore store, IClock clock, string actor, EnvironmentPolicy? environments = null,
        IReleaseAppFreezeSource? releaseApp = null, ReleaseAppFreezeCache? cache = null)
        : this(store, clock, () => actor, environments, releaseApp, cache)
    {
    }

    /// <summary>A service that asks who the actor is only when it first writes (reads never need to know).</summary>
    public FreezeService(IDeployStore store, IClock clock, Func<string> actor, EnvironmentPolicy? environments = null,
        IReleaseAppFreezeSource? releaseApp = null, ReleaseAppFreezeCache? cache = null)
    {
        _store = store;
        _clock = clock;
        _actor = new Lazy<string>(() => actor() is { } named && !string.IsNullOrWhiteSpace(named) ? named : Environment.UserName);
        _environments = environments ?? EnvironmentPolicy.Default;
        _releaseApp = releaseApp;
        _cache = cache;
    }

    /// <summary>Whether a Release app is asked as well as the store.</summary>
    public bool HasReleaseApp => _releaseApp is not null;

    /// <summary>
    /// Checks what a freeze needs before anything is resolved or written: a reason, a contact,
    /// and an Until (if any) in the future. Set-DeployFreeze calls it first, so -WhatIf reports bad input too.
    /// </summary>
    public void CheckRequest(string? reason, string? contact, DateTimeOffset? until)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw ErrorCatalogue.FreezeReasonRequired(reason);
        }
        if (string.IsNullOrWhiteSpace(contact))
        {
            throw ErrorCatalogue.FreezeContactRequired(contact);
        }
        UserText.Check(reason, "Reason");
        UserText.Check(contact, "Contact");
        var now = _clock.GetCurrentInstant().ToDateTimeOffset();
        if (until is { } end && end <= now)
        {
            throw ErrorCatalogue.FreezeUntilInPast(end, now);
        }
    }

    /// <summary>
    /// Freezes the applications (names or patterns; see <see cref="SetGlobalAsync"/> for every application) in the environments
    /// (default: every environment but the first, see <see cref="EnvironmentPolicy.DefaultFreezeScope"/>),
    /// replacing freezes already in force there.
    /// </summary>
    public async Task<IReadOnlyList<DeployFreeze>> SetAsync(IReadOnlyList<string> applications, string reason, string contact,
        DateTimeOffset? until = null, IReadOnlyList<string>? environments = null, CancellationToken cancellationToken = default)
    {
        CheckRequest(reason, contact, until);
        var names = await ResolveAsync(applications, acceptFrozen: false, cancellationToken).ConfigureAwait(false);
        var targets = ValidateEnvironments(environments);
        var requests = names.SelectMany(app => targets.Select(env => new FreezeRequest(app, env, reason.Trim(), contact.Trim(), until))).ToList();
        return await _store.SetFreezesAsync(requests, _actor.Value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Freezes every application (the global freeze) in the environments (default: every environment but the first).</summary>
    public async Task<IReadOnlyList<DeployFreeze>> SetGlobalAsync(string reason, string contact, DateTimeOffset? until = null,
        IReadOnlyList<string>? environments = null, CancellationToken cancellationToken = default)
    {
        CheckRequest(reason, contact, until);
        var requests = ValidateEnvironments(environments).Select(env => new FreezeRequest(DeployFreeze.Global, env, reason.Trim(), contact.Trim(), until)).ToList();
        return await _store.SetFreezesAsync(requests, _actor.Value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lifts the global freeze (only it: the applications' own freezes stay) in the environments (default: all).</summary>
    public Task<IReadOnlyList<DeployFreeze>> LiftGlobalAsync(IReadOnlyList<string>? environments = null, CancellationToken cancellationToken = default) =>
        LiftAsync([DeployFreeze.Global], environments, cancellationToken, resolve: false);

    /// <summary>Lifts the freezes in force on the applications (names or patterns; '*' is every application) in the environments (default: all).</summary>
    public Task<IReadOnlyList<DeployFreeze>> LiftAsync(IReadOnlyList<string> applications, IReadOnlyList<string>? environments = null, CancellationToken cancellationToken = default) =>
        LiftAsync(applications, environments, cancellationToken, resolve: true);

    private async Task<IReadOnlyList<DeployFreeze>> LiftAsync(IReadOnlyList<string> applications, IReadOnlyList<string>? environments, CancellationToken cancellationToken, bool resolve)
    {
        var names = resolve ? await ResolveAsync(applications, acceptFrozen: true, cancellationToken).ConfigureAwait(false) : applications;
        var targets = environments is { Count: > 0 } ? ValidateEnvironments(environments).Select(e => (string?)e).ToList() : [null];
        var lift = names.SelectMany(app => targets.Select(env => new FreezeTarget(app, env))).ToList();
        return await _store.LiftFreezesAsync(lift, _actor.Value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The freezes in force now (or, with includeLifted, every freeze ever set) on the applications, global ones included.</summary>
    public Task<IReadOnlyList<DeployFreeze>> GetAsync(IReadOnlyList<string>? applications = null, bool includeLifted = false, string? environment = null, CancellationToken cancellationToken = default) =>
        _store.GetFreezesAsync(new FreezeQuery
        {
            Applications = applications,
            IncludeLifted = includeLifted,
            Environment = environment,
            At = _clock.GetCurrentInstant().ToDateTimeOffset(),
        }, cancellationToken);

    private IReadOnlyList<string> ValidateEnvironments(IReadOnlyList<string>? environments)
    {
        return environments is { Count: > 0 } ? _environments.Require(environments) : _environments.DefaultFreezeScope;
    }

    /// <summary>
    /// Application names as the catalogue spells them, patterns expanded (PowerShell's wildcards; '*'
    /// is every application, never the global freeze). An unknown name is ApplicationNotFound with
    /// suggestions, a pattern that matches nothing NoApplicationMatched, except, when lifting, a name
    /// that still has a freeze (its application may have left the catalogue since).
    /// </summary>
    private async Task<IReadOnlyList<string>> ResolveAsync(IReadOnlyList<string> applications, bool acceptFrozen, CancellationToken cancellationToken)
    {
        if (applications.Count == 0 || applications.Any(string.IsNullOrWhiteSpace))
        {
            throw ErrorCatalogue.ApplicationRequired();
        }
        foreach (var pattern in applications.Where(NamePattern.HasWildcards))
        {
            NamePattern.Validate(pattern);
        }
        var catalogue = await _store.GetApplicationsAsync(new ApplicationQuery { IncludeRetired = true }, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<DeployFreeze> frozen = acceptFrozen
            ? await _store.GetFreezesAsync(new FreezeQuery { At = _clock.GetCurrentInstant().ToDateTimeOffset() }, cancellationToken).ConfigureAwait(false)
            : [];
        var known = catalogue.Select(a => a.Name).Concat(frozen.Where(f => !f.IsGlobal).Select(f => f.Application)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var names = new List<string>();
        foreach (var requested in applications.Select(a => a.Trim()))
        {
            var matches = NamePattern.HasWildcards(requested)
                ? known.Where(k => NamePattern.IsMatch(k, requested)).ToList()
                : known.Where(k => k.Equals(requested, StringComparison.OrdinalIgnoreCase)).Take(1).ToList();
            if (matches.Count == 0)
            {
                throw NamePattern.HasWildcards(requested)
                    ? ErrorCatalogue.NoApplicationMatched(requested)
                    : ErrorCatalogue.ApplicationNotFound(requested, NameSuggestions.For(requested, catalogue.Select(a => a.Name)));
            }
            names.AddRange(matches);
        }
        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }
}
