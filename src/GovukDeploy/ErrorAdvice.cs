namespace GovukDeploy;

/// <summary>
/// The "what to do" part of an engine message. Messages say what was wrong in their first sentence and
/// what to do in the rest ("No application named 'x' is in the catalogue. Get-Application lists ...").
/// </summary>
internal static class ErrorAdvice
{
    public static string From(string message)
    {
        var firstLine = message.Split('\n')[0].TrimEnd();
        var end = FirstSentenceEnd(firstLine);
        var advice = end < 0 ? "" : firstLine[(end + 1)..].Trim();
        return advice.Length > 0 ? advice : firstLine.Trim();
    }

    /// <summary>Where the first sentence ends: a '.', '!' or '?' followed by a space, outside brackets and quotes, not in "e.g." or "i.e.".</summary>
    private static int FirstSentenceEnd(string text)
    {
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < text.Length - 1; i++)
        {
            switch (text[i])
            {
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']':
                    depth = Math.Max(0, depth - 1);
                    break;
                case '\'' when i == 0 || !char.IsLetter(text[i - 1]) || quoted:
                    // An opening quote follows a non-letter; a closing one ends the quote (an apostrophe inside a word is neither).
                    quoted = !quoted;
                    break;
                case '.' or '!' or '?' when depth == 0 && !quoted && text[i + 1] == ' ' && !IsAbbreviation(text, i):
                    return i;
            }
        }

        return -1;
    }

    private static bool IsAbbreviation(string text, int dot) =>
        dot >= 3 && (text.AsSpan(dot - 3, 4).SequenceEqual("e.g.") || text.AsSpan(dot - 3, 4).SequenceEqual("i.e."));
}
