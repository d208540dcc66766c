using System.Globalization;
using System.Text;

namespace GovukDeploy;

/// <summary>
/// Text from a service shown in a terminal, with every control character made visible instead of
/// acted on: an escape sequence cannot recolour the screen, move the cursor or fake a line of output.
/// Newline and tab are kept, as they are what they look like.
/// </summary>
public static class VisibleText
{
    public static string Of(string text)
    {
        if (!text.Any(NeedsPicture))
        {
            return text;
        }
        var visible = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!NeedsPicture(c))
            {
                visible.Append(c);
            }
            else if (c < ' ')
            {
                // Unicode's Control Pictures: ESC shows as ␛, CR as ␍.
                visible.Append((char)(0x2400 + c));
            }
            else if (c == '\u007f')
            {
                visible.Append('\u2421');
            }
            else
            {
                // C1 controls and the bidirectional overrides have no picture: their code point instead.
                visible.Append("<U+").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append('>');
            }
        }
        return visible.ToString();
    }

    private static bool NeedsPicture(char c) =>
        (char.IsControl(c) && c is not '\n' and not '\t') ||
        c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';
}
