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
            throw new GovukDeployException("InvalidReference", ErrorKind.InvalidArgument,
                $"'{TerminalText.Visible(reference.Length > 100 ? reference[..100] + "…" : reference)}' is not a git branch, tag or commit name. " +
                "Give one as git allows it: no empty, '.' or '..' parts, no control characters, at most 255 characters.",
                reference);
        }

        return string.Join('/', parts.Select(Uri.EscapeDataString));
    }
}
