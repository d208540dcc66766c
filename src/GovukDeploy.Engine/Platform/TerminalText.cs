namespace GovukDeploy;

/// <summary>Text from services or the store, made fit for a terminal: no control characters (no escape sequences), bounded.</summary>
public static class TerminalText
{
    public const int MaxLength = 4000;

    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var plain = new string(text.Select(c => char.IsControl(c) && c != '\n' ? ' ' : c).ToArray());
        return plain.Length > MaxLength ? plain[..MaxLength] + "…" : plain;
    }
}
