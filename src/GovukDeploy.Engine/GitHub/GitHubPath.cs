using GovukDeploy.Errors;

namespace GovukDeploy.GitHub;

/// <summary>
/// Git references (branches, tags, SHAs) as URL path segments: each '/'-separated part escaped, so that
/// a branch named 'a#b' or 'x?y' reaches GitHub whole, and none that is empty, '.' or '..' (git refuses
/// such names, and in a URL they would walk up the path).
/// </summary>
internal static class GitHubPath
{
    public static string Reference(string reference)
    {
        var parts = reference.Split('/');
        if (reference.Length > 255 || parts.Any(p => p is "" or "." or ".." || p.Any(char.IsControl)))
        {
            throw ErrorCatalogue.InvalidReference(reference, TerminalText.Visible(reference.Length > 100 ? reference[..100] + "…" : reference));
        }

        return string.Join('/', parts.Select(Uri.EscapeDataString));
    }
}
