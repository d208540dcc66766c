using System.Globalization;
using GovukDeploy.Configuration;
using GovukDeploy.Errors;
using GovukDeploy.Holidays;
using NodaTime;
using NodaTime.Text;

namespace GovukDeploy.DeployWindows;

/// <summary>The opening and closing time of one day's window, local to the policy's zone.</summary>
internal readonly record struct DayHours(LocalTime Opens, LocalTime Closes);

/// <summary>A validated deploy-window policy for one environment.</summary>
public sealed class DeployWindowPolicy
{
    private static readonly LocalTimePattern[] TimePatterns =
    [
        LocalTimePattern.CreateWithInvariantCulture("HH:mm"),
        LocalTimePattern.CreateWithInvariantCulture("H:mm"),
        LocalTimePattern.CreateWithInvariantCulture("HH:mm:ss"),
    ];

    // Indexed by IsoDayOfWeek (1 = Monday … 7 = Sunday); null means closed all day.
    private readonly DayHours?[] _hours;

    private DeployWindowPolicy(string environment, bool alwaysOpen, DateTimeZone zone, string division, DayHours?[] hours)
    {
        Environment = environment;
        AlwaysOpen = alwaysOpen;
        Zone = zone;
        HolidayDivision = division;
        _hours = hours;
    }

    public string Environment { get; }
    public bool AlwaysOpen { get; }
    public string TimeZone => Zone.Id;
    public string HolidayDivision { get; }

    internal DateTimeZone Zone { get; }

    internal DayHours? HoursOn(IsoDayOfWeek day) => _hours[(int)day];

    /// <summary>
    /// The defaults, as the environment policy says: the first environment (where CI deploys) always
    /// open, every later one in office hours.
    /// </summary>
    public static IReadOnlyDictionary<string, DeployWindowPolicySettings> DefaultSettings(EnvironmentPolicy? environments = null)
    {
        var policy = environments ?? EnvironmentPolicy.Default;
        return policy.Names.ToDictionary(e => e,
            e => policy.KeepsOfficeHoursByDefault(e) ? DeployWindowPolicySettings.OfficeHours() : DeployWindowPolicySettings.Always(),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The policies of the configured environments (and only those: an environment that is not
    /// configured has no window to ask about): the defaults, with each environment in
    /// <paramref name="overrides"/> replacing its default.
    /// </summary>
    public static IReadOnlyDictionary<string, DeployWindowPolicy> Build(IReadOnlyDictionary<string, DeployWindowPolicySettings>? overrides = null,
        EnvironmentPolicy? environments = null)
    {
        var settings = new Dictionary<string, DeployWindowPolicySettings>(DefaultSettings(environments), StringComparer.OrdinalIgnoreCase);
        foreach (var (environment, policy) in overrides ?? new Dictionary<string, DeployWindowPolicySettings>())
        {
            if (settings.ContainsKey(environment))
            {
                settings[environment] = policy;
            }
        }
        return settings.ToDictionary(p => p.Key, p => FromSettings(p.Key, p.Value), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Validates settings into a policy; every problem is a GovukDeployException naming the offending value.</summary>
    public static DeployWindowPolicy FromSettings(string environment, DeployWindowPolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(environment))
        {
            throw Invalid(environment, "A deploy-window policy needs an environment name.", environment);
        }

        var zoneId = string.IsNullOrWhiteSpace(settings.TimeZone) ? DeployWindowPolicySettings.DefaultTimeZone : settings.TimeZone.Trim();
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)
            ?? throw ErrorCatalogue.UnknownTimeZone($"the deploy-window policy for '{environment}'", settings.TimeZone);
        var division = Holidays.HolidayDivision.Parse(string.IsNullOrWhiteSpace(settings.HolidayDivision) ? Holidays.HolidayDivision.EnglandAndWales : settings.HolidayDivision);

        var hours = new DayHours?[8];
        if (!settings.AlwaysOpen)
        {
            foreach (var entry in settings.Hours ?? [])
            {
                var opens = ParseTime(environment, entry.Opens, "opening");
                var closes = ParseTime(environment, entry.Closes, "closing");
                if (closes <= opens)
                {
                    throw Invalid(environment, $"its closing time {entry.Closes} is not after its opening time {entry.Opens}. Give a closing time later the same day.", entry.Closes);
                }
                if (entry.Days is null || entry.Days.Count == 0)
                {
                    throw Invalid(environment, $"the hours {entry.Opens}–{entry.Closes} name no days. List the days they apply to, e.g. \"Monday\".", entry);
                }
                foreach (var dayName in entry.Days)
                {
                    var day = ParseDay(environment, dayName);
                    if (hours[(int)day] is not null)
                    {
                        throw Invalid(environment, $"{day} has opening hours twice. List each day once.", dayName);
                    }
                    hours[(int)day] = new DayHours(opens, closes);
                }
            }
            if (hours.All(h => h is null))
            {
                throw Invalid(environment, "it opens on no day of the week. Give opening hours, or set AlwaysOpen (use a deploy freeze to stop deploys for a while).", settings);
            }
        }
        return new DeployWindowPolicy(environment.Trim(), settings.AlwaysOpen, zone, division, hours);
    }

    /// <summary>The settings that would rebuild this policy (for showing the effective configuration).</summary>
    public DeployWindowPolicySettings ToSettings()
    {
        var settings = new DeployWindowPolicySettings { AlwaysOpen = AlwaysOpen, TimeZone = TimeZone, HolidayDivision = HolidayDivision };
        if (!AlwaysOpen)
        {
            foreach (var group in Enumerable.Range(1, 7).Where(d => _hours[d] is not null).GroupBy(d => _hours[d]!.Value))
            {
                settings.Hours.Add(new DeployHoursSettings
                {
                    Days = group.Select(d => ((IsoDayOfWeek)d).ToString()).ToList(),
                    Opens = group.Key.Opens.ToString("HH:mm", CultureInfo.InvariantCulture),
                    Closes = group.Key.Closes.ToString("HH:mm", CultureInfo.InvariantCulture),
                });
            }
        }
        return settings;
    }

    private static LocalTime ParseTime(string environment, string? text, string which)
    {
        foreach (var pattern in TimePatterns)
        {
            var result = pattern.Parse(text?.Trim() ?? "");
            if (result.Success)
            {
                return result.Value;
            }
        }
        throw Invalid(environment, $"its {which} time '{text}' is not a time of day. Write it as HH:mm, e.g. \"09:30\".", text);
    }

    private static IsoDayOfWeek ParseDay(string environment, string? name)
    {
        var trimmed = name?.Trim() ?? "";
        for (var day = IsoDayOfWeek.Monday; day <= IsoDayOfWeek.Sunday; day++)
        {
            var full = day.ToString();
            if (string.Equals(trimmed, full, StringComparison.OrdinalIgnoreCase)
                || string.Equals(trimmed, full[..3], StringComparison.OrdinalIgnoreCase))
            {
                return day;
            }
        }
        throw Invalid(environment, $"'{name}' is not a day of the week. Use English day names such as \"Monday\" or \"Mon\".", name);
    }

    private static GovukDeployException Invalid(string environment, string problem, object? target) => ErrorCatalogue.InvalidWindowPolicy(environment, problem, target);
}
