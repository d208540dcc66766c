using System.Text;
using System.Text.RegularExpressions;

namespace GovukDeploy.HelpCompiler;

/// <summary>Turns an about_ page's markdown into the plain text that Get-Help about_X shows.</summary>
internal static partial class AboutTopicWriter
{
    public static string Write(string markdown)
    {
        var output = new StringBuilder();
        var inCode = false;
        foreach (var raw in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw;
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }

            if (inCode)
            {
                output.Append("    ").AppendLine(line);
                continue;
            }

            if (line.StartsWith('#'))
            {
                var heading = line.TrimStart('#').Trim();
                output.AppendLine(line.StartsWith("# ", StringComparison.Ordinal) ? heading : heading.ToUpperInvariant());
                continue;
            }

            // Keep link text, drop markup that means nothing in a terminal.
            line = LinkPattern().Replace(line, "$1");
            line = line.Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal);
            output.Append(line.Length == 0 ? "" : "    ").AppendLine(line);
        }

        return output.ToString();
    }

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")]
    private static partial Regex LinkPattern();
}
