using System.Globalization;

namespace GovukDeploy.Errors;

/// <summary>
/// Every error GovukDeploy reports, in one place. Each method is named exactly as the
/// ErrorId it raises, always with the same ErrorKind and one message shape (what was
/// wrong, then what to do), so that a runbook can rely on both. docs/about_GovukDeploy.md
/// documents every id under "Errors"; a test holds the two together.
/// The partial files split the catalogue by area.
/// </summary>
public static partial class ErrorCatalogue
{
    /// <summary>A span for a person: seconds when short, hh:mm:ss otherwise.</summary>
    private static string Seconds(TimeSpan span) => span.TotalSeconds < 120
        ? $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s"
        : $"{span:hh\\:mm\\:ss}";

    private static string Utc(DateTimeOffset at) => at.ToString("u", CultureInfo.InvariantCulture);

    private static string List(IEnumerable<string> values) => string.Join(", ", values);
}
