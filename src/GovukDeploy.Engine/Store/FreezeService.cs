using GovukDeploy.Catalogue;
using GovukDeploy.Errors;
using NodaTime;

namespace GovukDeploy.Store;

/// <summary>
/// Deploy freezes as the cmdlets use them: validation (a reason, a contact, an Until in the
/// future, known applications and environments) on top of the store. Many applications are
/// frozen or unfrozen in one transaction.
/// </summary>
public sealed class FreezeService
{
    public static readonly IReadOnlyList<string> DefaultEnvironments = ["integration", "staging", "production"];

    private readonly IDeployStore _store;
    private readonly IClock _clock;
    private readonly string _actor;
    private readonly IReadOnlyList<string> _environments;

    /// <summary>A service on the system clock, for callers that keep NodaTime out of their signatures.</summary>
    public FreezeService(IDeployStore store, string actor, IReadOnlyList<string>? environments = null)
        : this(store, SystemClock.Instance, actor, environments)
    {
    }

    public FreezeService(IDeployStore store, IClock clock, string actor, IReadOnlyList<string>? environments = null)
    {
        _store = store;
        _clock = clock;
        _actor = string.IsNullOrWhiteSpace(actor) ? Environment.UserName : actor;
        _environments = environments is { Count: > 0 } ? environments.Select(e => e.Trim().ToLowerInvariant()).ToList() : DefaultEnvironments;
    }

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
        var now = _clock.GetCurrentInstant().ToDateTimeOffset();
        if (until is { } end && end <= now)
        {
            throw ErrorCatalogue.FreezeUntilInPast(end, now);
        }
    }

    /// <summary>
    /// Freezes the applications (names, wildcards, or DeployFreeze.Global) in the environments
    /// (default: every environment), replacing freezes already in force there.
    /// </summary>
    public async Task<IReadOnlyList<DeployFreeze>> SetAsync(IReadOnlyList<string> applications, string reason, string contact,
        DateTimeOffset? until = null, IReadOnlyList<string>? environments = null, CancellationToken cancellationToken = default)
    {
        CheckRequest(reason, contact, until);
        var names = await ResolveAsync(applications, acceptFrozen: false, cancellationToken).ConfigureAwait(false);
        var targets = ValidateEnvironments(environments);
        var requests = names.SelectMany(app => targets.Select(env => new FreezeRequest(app, env, reason.Trim(), contact.Trim(), until))).ToList();
        return await _store.SetFreezesAsync(requests, _actor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lifts the freezes in force on the applications (or DeployFreeze.Global) in the environments (default: all).</summary>
    public async Task<IReadOnlyList<DeployFreeze>> LiftAsync(IReadOnlyList<string> applications, IReadOnlyList<string>? environments = null, CancellationToken cancellationToken = default)
    {
        var names = await ResolveAsync(applications, acceptFrozen: true, cancellationToken).ConfigureAwait(false);
        var targets = environments is { Count: > 0 } ? ValidateEnvironments(environments).Select(e => (string?)e).ToList() : [null];
        var lift = names.SelectMany(app => targets.Select(env => new FreezeTarget(app, env))).ToList();
        return await _store.LiftFreezesAsync(lift, _actor, cancellationToken).ConfigureAwait(false);
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
        if (environments is not { Count: > 0 })
        {
            return _environments;
        }
        var result = new List<string>();
        foreach (var environment in environments)
        {
            var key = environment.Trim().ToLowerInvariant();
            if (!_environments.Contains(key))
            {
                throw ErrorCatalogue.UnknownEnvironment(environment, _environments);
            }
            if (!result.Contains(key))
            {
                result.Add(key);
            }
        }
        return result;
    }

    /// <summary>
    /// Application names as the catalogue spells them, wildcards expanded. An unknown name is
    /// an error with suggestions, except, when lifting, a name that still has a freeze (its
    /// application may have left the catalogue since).
    /// </summary>
    private async Task<IReadOnlyList<string>> ResolveAsync(IReadOnlyList<string> applications, bool acceptFrozen, CancellationToken cancellationToken)
    {
        if (applications.Count == 0 || applications.Any(string.IsNullOrWhiteSpace))
        {
            throw ErrorCatalogue.ApplicationRequired();
        }
        var catalogue = await _store.GetApplicationsAsync(new ApplicationQuery { IncludeRetired = true }, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<DeployFreeze> frozen = acceptFrozen
            ? await _store.GetFreezesAsync(new FreezeQuery { At = _clock.GetCurrentInstant().ToDateTimeOffset() }, cancellationToken).ConfigureAwait(false)
            : [];
        var known = catalogue.Select(a => a.Name).Concat(frozen.Select(f => f.Application)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var names = new List<string>();
        foreach (var requested in applications.Select(a => a.Trim()))
        {
            if (requested == DeployFreeze.Global)
            {
                names.Add(DeployFreeze.Global);
                continue;
            }
            var matches = NamePattern.HasWildcards(requested)
                ? known.Where(k => k != DeployFreeze.Global && NamePattern.IsMatch(k, requested)).ToList()
                : known.Where(k => k.Equals(requested, StringComparison.OrdinalIgnoreCase)).Take(1).ToList();
            if (matches.Count == 0)
            {
                throw ErrorCatalogue.ApplicationNotFound(requested, NameSuggestions.For(requested, catalogue.Select(a => a.Name)));
            }
            names.AddRange(matches);
        }
        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }
}
