using GovukDeploy.Errors;
using GovukDeploy.Store;

namespace GovukDeploy.Catalogue;

/// <summary>
/// The catalogue as the cmdlets use it: validation, "did you mean" hints and imports on top
/// of the store. The actor (GitHub login or OS user) is named once, by the caller.
/// </summary>
public sealed class ApplicationService
{
    private readonly IDeployStore _store;
    private readonly Lazy<string> _actor;

    public ApplicationService(IDeployStore store, string actor)
        : this(store, () => actor)
    {
    }

    /// <summary>A service that asks who the actor is only when it first writes (reads never need to know).</summary>
    public ApplicationService(IDeployStore store, Func<string> actor)
    {
        _store = store;
        _actor = new Lazy<string>(() => actor() is { } named && !string.IsNullOrWhiteSpace(named) ? named : Environment.UserName);
    }

    /// <summary>
    /// The applications named or matched by PowerShell's wildcards (*, ?, [abc]; null or '*' for all), each once,
    /// in catalogue order. Missing holds ApplicationNotFound for each name that is not in the catalogue,
    /// NoApplicationMatched for each pattern that matches nothing (as Get-ChildItem reports a path that
    /// matches nothing), and InvalidWildcardPattern for a pattern PowerShell could not read either.
    /// </summary>
    public async Task<ApplicationLookup> GetAsync(IReadOnlyList<string>? names, string? team = null, bool includeRetired = false, CancellationToken cancellationToken = default)
    {
        var requested = (names ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var missing = new List<GovukDeployException>();
        var patterns = new List<string>();
        foreach (var pattern in requested.Where(NamePattern.HasWildcards))
        {
            try
            {
                NamePattern.Validate(pattern);
                patterns.Add(pattern);
            }
            catch (GovukDeployException invalid)
            {
                missing.Add(invalid);
            }
        }
        var exact = requested.Where(n => !NamePattern.HasWildcards(n)).ToList();
        var everything = names is null || names.Count == 0 || patterns.Contains("*");

        // Patterns are matched here, in PowerShell's own language, against the catalogue (which is small);
        // plain names are looked up by the store.
        IReadOnlyList<string>? storeNames = everything || patterns.Count > 0 ? null : exact;
        if (storeNames is { Count: 0 })
        {
            return new ApplicationLookup([], missing);
        }
        var candidates = await _store.GetApplicationsAsync(new ApplicationQuery { Names = storeNames, Team = team, IncludeRetired = includeRetired }, cancellationToken).ConfigureAwait(false);
        var found = everything
            ? candidates
            : candidates.Where(a => exact.Any(n => a.Name.Equals(n, StringComparison.OrdinalIgnoreCase)) || patterns.Any(p => NamePattern.IsMatch(a.Name, p))).ToList();

        foreach (var name in exact.Where(n => !found.Any(a => a.Name.Equals(n, StringComparison.OrdinalIgnoreCase))))
        {
            missing.Add(await NotFoundAsync(name, cancellationToken).ConfigureAwait(false));
        }
        foreach (var pattern in patterns.Where(p => p != "*" && !found.Any(a => NamePattern.IsMatch(a.Name, p))))
        {
            missing.Add(ErrorCatalogue.NoApplicationMatched(pattern));
        }
        return new ApplicationLookup(found, missing);
    }

    /// <summary>
    /// For queries of history (deploys, audit events), where a plain name may be an application that has
    /// left the catalogue: plain names pass as given, patterns become the catalogue's names they match
    /// (retired ones included). A pattern that matches nothing, or cannot be read, is in Problems.
    /// Null stays null (every application).
    /// </summary>
    public async Task<(IReadOnlyList<string>? Names, IReadOnlyList<GovukDeployException> Problems)> ExpandPatternsAsync(IReadOnlyList<string>? names,
        CancellationToken cancellationToken = default)
    {
        if (names is null || !names.Any(NamePattern.HasWildcards))
        {
            return (names, []);
        }
        var lookup = await GetAsync(names.Where(NamePattern.HasWildcards).ToList(), includeRetired: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        var expanded = names.Where(n => !NamePattern.HasWildcards(n)).Concat(lookup.Found.Select(a => a.Name)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return (expanded, lookup.Missing);
    }

    /// <summary>One application by name, retired or not; ApplicationNotFound with the nearest names when absent.</summary>
    /// <remarks>A pattern is refused (WildcardNotSupported): the cmdlets that act on one application never guess which.</remarks>
    public async Task<Application> GetRequiredAsync(string name, CancellationToken cancellationToken = default) =>
        await _store.GetApplicationAsync(NamePattern.RequireSingleName(name), cancellationToken).ConfigureAwait(false)
        ?? throw await NotFoundAsync(name, cancellationToken).ConfigureAwait(false);

    /// <summary>ApplicationNotFound for a name, suggesting the nearest names in the catalogue.</summary>
    public async Task<GovukDeployException> NotFoundAsync(string name, CancellationToken cancellationToken = default)
    {
        var all = await _store.GetApplicationsAsync(new ApplicationQuery { IncludeRetired = true }, cancellationToken).ConfigureAwait(false);
        return ErrorCatalogue.ApplicationNotFound(name, NameSuggestions.For(name, all.Select(a => a.Name)));
    }

    /// <summary>Reads a catalogue file and upserts every entry in one transaction, or nothing when the file has any problem.</summary>
    public Task<CatalogueImportResult> ImportFileAsync(string path, string? organisation = null, CancellationToken cancellationToken = default) =>
        ImportAsync(CatalogueParser.ParseFile(path, organisation), cancellationToken);

    public async Task<CatalogueImportResult> ImportAsync(IReadOnlyList<CatalogueEntry> entries, CancellationToken cancellationToken = default)
    {
        var applications = entries.Select(e => e.Application).ToList();
        var result = await _store.UpsertApplicationsAsync(applications, _actor.Value, cancellationToken).ConfigureAwait(false);
        return new CatalogueImportResult(result.Added, result.Changed, result.Unchanged, applications);
    }

    /// <param name="repository">owner/name; defaults to <paramref name="organisation"/>/<paramref name="name"/>.</param>
    public async Task<Application> NewAsync(string name, string? repository = null, string? deployName = null, string? team = null, string? type = null,
        string? releaseTagPattern = null, string? organisation = null, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        var application = new Application
        {
            Name = name.Trim(),
            Repository = ValidateRepository(repository ?? $"{(string.IsNullOrWhiteSpace(organisation) ? CatalogueParser.DefaultOrganisation : organisation.Trim())}/{name.Trim()}"),
            DeployName = ValidateDeployName(deployName ?? name.Trim()),
            Team = NameRules.Bounded(Blank(team), "team"),
            Type = NameRules.Bounded(Blank(type), "type"),
            ReleaseTagPattern = ValidatePattern(releaseTagPattern ?? "release_*"),
        };
        await _store.AddApplicationAsync(application, _actor.Value, cancellationToken).ConfigureAwait(false);
        return application;
    }

    public async Task<Application> SetAsync(string name, ApplicationChanges changes, CancellationToken cancellationToken = default)
    {
        var current = await GetRequiredAsync(name, cancellationToken).ConfigureAwait(false);
        var updated = new Application
        {
            Name = current.Name,
            Repository = changes.Repository is null ? current.Repository : ValidateRepository(changes.Repository),
            DeployName = changes.DeployName is null ? current.DeployName : ValidateDeployName(changes.DeployName),
            Team = changes.Team is null ? current.Team : NameRules.Bounded(Blank(changes.Team), "team"),
            Type = changes.Type is null ? current.Type : NameRules.Bounded(Blank(changes.Type), "type"),
            Retired = changes.Retired ?? current.Retired,
            ReleaseTagPattern = changes.ReleaseTagPattern is null ? current.ReleaseTagPattern : ValidatePattern(changes.ReleaseTagPattern),
            // Confidential mode changes only through SetConfidentialAsync, audited with its reason.
            Confidential = current.Confidential,
            ConfidentialSince = current.ConfidentialSince,
            ConfidentialSetBy = current.ConfidentialSetBy,
            VisibilityWhenConfidential = current.VisibilityWhenConfidential,
        };
        await _store.UpdateApplicationAsync(updated, _actor.Value, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    /// <summary>Removes an application; its history stays in the audit log.</summary>
    public async Task<Application> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        await GetRequiredAsync(name, cancellationToken).ConfigureAwait(false);
        return await _store.RemoveApplicationAsync(name, _actor.Value, cancellationToken).ConfigureAwait(false);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || !NameRules.IsGitHubName(name.Trim()))
        {
            throw ErrorCatalogue.InvalidApplicationName(name);
        }
    }

    private static string ValidateRepository(string repository) => NameRules.ValidateRepository(repository);

    private static string ValidateDeployName(string deployName)
    {
        if (string.IsNullOrWhiteSpace(deployName) || deployName.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || deployName.Trim().Length > NameRules.MaxLength)
        {
            throw ErrorCatalogue.InvalidDeployName(deployName);
        }
        return deployName.Trim();
    }

    private static string ValidatePattern(string pattern)
    {
        NameRules.Bounded(pattern, "release tag pattern");
        if (string.IsNullOrWhiteSpace(pattern) || !pattern.Contains('*'))
        {
            throw ErrorCatalogue.InvalidReleaseTagPattern(pattern);
        }
        return pattern.Trim();
    }
}
