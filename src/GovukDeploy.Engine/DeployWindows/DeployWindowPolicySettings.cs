namespace GovukDeploy.DeployWindows;

/// <summary>
/// The serialisable shape of an environment's deploy-window policy, as it appears in the
/// configuration file. Times are "HH:mm" in <see cref="TimeZone"/>; days are English day
/// names ("Monday" or "Mon"). <see cref="DeployWindowPolicy.FromSettings"/> validates it.
/// </summary>
/// <example>
/// { "TimeZone": "Europe/London", "HolidayDivision": "england-and-wales",
///   "Hours": [ { "Days": ["Monday", "Tuesday", "Wednesday", "Thursday"], "Opens": "09:30", "Closes": "17:00" },
///              { "Days": ["Friday"], "Opens": "09:30", "Closes": "16:00" } ] }
/// </example>
public sealed class DeployWindowPolicySettings
{
    public const string DefaultTimeZone = "Europe/London";

    /// <summary>Deploys are allowed at any time (freezes still apply). Hours, zone and holidays are then ignored.</summary>
    public bool AlwaysOpen { get; set; }

    /// <summary>An IANA time zone id, e.g. "Europe/London".</summary>
    public string TimeZone { get; set; } = DefaultTimeZone;

    /// <summary>Whose bank holidays close the window: england-and-wales, scotland or northern-ireland.</summary>
    public string HolidayDivision { get; set; } = Holidays.HolidayDivision.EnglandAndWales;

    /// <summary>Opening hours; a day listed in no entry is closed.</summary>
    public List<DeployHoursSettings> Hours { get; set; } = [];

    /// <summary>GOV.UK's rule for staging and production: Monday–Thursday 09:30–17:00, Friday 09:30–16:00, London time, closed on England and Wales bank holidays.</summary>
    public static DeployWindowPolicySettings OfficeHours() => new()
    {
        Hours =
        [
            new DeployHoursSettings { Days = ["Monday", "Tuesday", "Wednesday", "Thursday"], Opens = "09:30", Closes = "17:00" },
            new DeployHoursSettings { Days = ["Friday"], Opens = "09:30", Closes = "16:00" },
        ],
    };

    /// <summary>Integration's rule: deploy at any time.</summary>
    public static DeployWindowPolicySettings Always() => new() { AlwaysOpen = true };
}

/// <summary>One set of opening hours shared by some days of the week.</summary>
public sealed class DeployHoursSettings
{
    public List<string> Days { get; set; } = [];

    /// <summary>"HH:mm", local time in the policy's zone.</summary>
    public string Opens { get; set; } = "";

    /// <summary>"HH:mm", local time in the policy's zone; must be after <see cref="Opens"/>.</summary>
    public string Closes { get; set; } = "";
}
