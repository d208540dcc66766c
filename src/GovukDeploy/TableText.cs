using System.Globalization;

namespace GovukDeploy.Commands;

/// <summary>
/// How the format views (GovukDeploy.format.ps1xml) write values that .NET writes too long or too
/// exactly for a table: durations as a person says them. Public, for the views' script blocks to
/// call; it uses BCL types only, as PowerShell loads it while it imports the module.
/// </summary>
public static class TableText
{
    /// <summary>1.8s, 48s, 1m 48s, 2h 5m; empty for no duration.</summary>
    public static string Duration(TimeSpan? duration)
    {
        if (duration is not { } span)
        {
            return string.Empty;
        }

        var sign = span < TimeSpan.Zero ? "-" : string.Empty;
        span = span.Duration();
        return sign + (span.TotalSeconds < 10 ? span.TotalSeconds.ToString("0.0", CultureInfo.CurrentCulture) + "s"
            : span.TotalMinutes < 1 ? $"{(int)span.TotalSeconds}s"
            : span.TotalHours < 1 ? $"{span.Minutes}m {span.Seconds}s"
            : span.TotalDays < 1 ? $"{(int)span.TotalHours}h {span.Minutes}m"
            : $"{(int)span.TotalDays}d {span.Hours}h");
    }
}
