using System.Globalization;
using GovukDeploy.Errors;

namespace GovukDeploy.GitHub;

/// <summary>
/// An application's release tag pattern, such as release_* (GOV.UK's default) or v*: a literal
/// prefix, a '*' standing for the release number (digits only), and an optional literal suffix.
/// Numbers compare as numbers, so release_100 is newer than release_99.
/// </summary>
public sealed class ReleaseTagPattern
{
    public const string Default = "release_*";

    private ReleaseTagPattern(string text, string prefix, string suffix)
    {
        Text = text;
        Prefix = prefix;
        Suffix = suffix;
    }

    public string Text { get; }

    /// <summary>The literal part before the number; GitHub is asked only for tags starting with it.</summary>
    public string Prefix { get; }
    public string Suffix { get; }

    public static ReleaseTagPattern Parse(string? pattern)
    {
        var text = string.IsNullOrWhiteSpace(pattern) ? Default : pattern.Trim();
        var star = text.IndexOf('*');
        if (star < 0)
        {
            // "release_" means release_N, as if the star had been written.
            return new ReleaseTagPattern(text + "*", text, "");
        }
        if (text.IndexOf('*', star + 1) >= 0 || text.IndexOfAny(['?', '[', ' ']) >= 0)
        {
            throw ErrorCatalogue.InvalidReleaseTagPattern(text);
        }
        return new ReleaseTagPattern(text, text[..star], text[(star + 1)..]);
    }

    /// <summary>The release number in <paramref name="tag"/>, or null when the tag is not a release.</summary>
    public long? NumberOf(string tag)
    {
        if (tag.Length <= Prefix.Length + Suffix.Length ||
            !tag.StartsWith(Prefix, StringComparison.Ordinal) || !tag.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }
        var digits = tag.AsSpan(Prefix.Length, tag.Length - Prefix.Length - Suffix.Length);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return null;
            }
        }
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    public override string ToString() => Text;
}
