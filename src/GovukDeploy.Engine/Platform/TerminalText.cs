using System.Text;

namespace GovukDeploy;

/// <summary>Text from users, services or the store, made fit for a terminal.</summary>
public static class TerminalText
{
    public const int MaxLength = 4000;

    /// <summary>No control characters (no escape sequences), bounded: for text shown as a plain line.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var plain = new string(text.Select(c => char.IsControl(c) && c != '\n' ? ' ' : c).ToArray());
        return plain.Length > MaxLength ? plain[..MaxLength] + "…" : plain;
    }

    /// <summary>
    /// For a warning of several lines (a list of commits, say): control characters shown as by
    /// <see cref="Visible"/>, line breaks kept, and every following line that starts at the margin
    /// indented, so that no line of it can pass for a line of PowerShell's own ("VERBOSE: ...").
    /// </summary>
    public static string WarningLines(string? text)
    {
        var lines = Visible(text, keepLineBreaks: true).Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length > 0 && !char.IsWhiteSpace(lines[i][0]))
            {
                lines[i] = "  " + lines[i];
            }
        }
        return string.Join('\n', lines);
    }

    /// <summary>
    /// The text with every control character shown rather than obeyed: ESC as \e, a line break as \n, a tab
    /// as \t, other C0 controls as their U+2400 symbols (␀, ␇, ...), DEL as ␡ and C1 controls as \x85 and the
    /// like. A stored freeze reason can then never move the cursor, recolour the screen, or start a line that
    /// looks like GovukDeploy's own ("VERBOSE: Gate Freeze: Passed"). With <paramref name="keepLineBreaks"/>
    /// a line break stays one, for messages whose lines are GovukDeploy's own.
    /// </summary>
    public static string Visible(string? text, bool keepLineBreaks = false)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(NeedsShowing))
        {
            return text ?? "";
        }

        var shown = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\n' when keepLineBreaks:
                    shown.Append(c);
                    break;
                case '\r' when keepLineBreaks:
                    break;
                case '\u001b':
                    shown.Append("\\e");
                    break;
                case '\n':
                    shown.Append("\\n");
                    break;
                case '\r':
                    shown.Append("\\r");
                    break;
                case '\t':
                    shown.Append("\\t");
                    break;
                case < '\u0020':
                    shown.Append((char)(0x2400 + c));
                    break;
                case '\u007f':
                    shown.Append('\u2421');
                    break;
                case >= '\u0080' and <= '\u009f':
                    shown.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    shown.Append(c);
                    break;
            }
        }

        return shown.ToString();
    }

    /// <summary>Control characters a person may type in a reason, a contact or a note: a line break and a tab.</summary>
    public static bool HasForbiddenControl(string? text) =>
        text is not null && text.Any(c => NeedsShowing(c) && c is not '\n' and not '\t' and not '\r');

    private static bool NeedsShowing(char c) => c < '\u0020' || c is >= '\u007f' and <= '\u009f';
}
