using GovukDeploy.Configuration;

namespace GovukDeploy.Health;

/// <summary>Where the health checks look, and how -Verify stays around; each source is optional.</summary>
public sealed record HealthSettings
{
    public Uri? SentryUrl { get; init; }
    public string SentryOrganisation { get; init; } = "govuk";

    /// <summary>Applications whose Sentry project is not named after them (the SentryProjects setting).</summary>
    public IReadOnlyDictionary<string, string> SentryProjects { get; init; } = new Dictionary<string, string>();
    public Secret? SentryToken { get; init; }

    /// <summary>Icinga's API address, with {environment} for one Icinga per environment.</summary>
    public string? IcingaUrlTemplate { get; init; }
    public string? IcingaUser { get; init; }
    public Secret? IcingaPassword { get; init; }
    public string IcingaServiceFilter { get; init; } = "service.vars.app == app";

    /// <summary>The dashboard's address, with {application} and {environment}.</summary>
    public string? DashboardUrlTemplate { get; init; }

    public TimeSpan VerifyFor { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan VerifyInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one request to Sentry or Icinga may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>At most this many pages of Sentry issues are read for one check (100 issues a page).</summary>
    public int MaxSentryPages { get; init; } = 10;

    public static HealthSettings FromConfiguration(DeployConfiguration configuration) => new()
    {
        SentryUrl = configuration.Get(SettingCatalogue.SentryUrl) is { } sentry ? new Uri(sentry) : null,
        SentryOrganisation = configuration.Require(SettingCatalogue.SentryOrganisation),
        SentryProjects = ParseProjects(configuration.Get(SettingCatalogue.SentryProjects)),
        SentryToken = configuration.GetSecret(SettingCatalogue.SentryAuthToken),
        IcingaUrlTemplate = configuration.Get(SettingCatalogue.IcingaUrl),
        IcingaUser = configuration.Get(SettingCatalogue.IcingaUser),
        IcingaPassword = configuration.GetSecret(SettingCatalogue.IcingaPassword),
        IcingaServiceFilter = configuration.Require(SettingCatalogue.IcingaServiceFilter),
        DashboardUrlTemplate = configuration.Get(SettingCatalogue.DashboardUrl),
        VerifyFor = TimeSpan.FromSeconds(int.Parse(configuration.Require(SettingCatalogue.VerifyForSeconds), System.Globalization.CultureInfo.InvariantCulture)),
        VerifyInterval = TimeSpan.FromSeconds(int.Parse(configuration.Require(SettingCatalogue.VerifyIntervalSeconds), System.Globalization.CultureInfo.InvariantCulture)),
    };

    /// <summary>The application's Sentry project: SentryProjects' entry for it, else its name.</summary>
    public string SentryProjectFor(Application application) =>
        SentryProjects.TryGetValue(application.Name, out var project) ? project : application.Name;

    /// <summary>Whether any source that can judge health (Sentry, Icinga) is configured.</summary>
    public bool AnySourceConfigured => SentryUrl is not null || IcingaUrlTemplate is not null;

    public static IReadOnlyDictionary<string, string> ParseProjects(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0], StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.OrdinalIgnoreCase);
}
