using System.Text;

namespace GovukDeploy.Health;

/// <summary>
/// Text from Sentry or Icinga is data written by anyone who can raise an error: it loses its control
/// characters (so no terminal escape sequence survives) and is cut to a bounded length.
/// </summary>
public static class UntrustedText
{
    public const int MaxTitle = 200;

    public static string Clean(string? text, int max = MaxTitle)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var clean = new StringBuilder(Math.Min(text.Length, max + 1));
        foreach (var c in text)
        {
            if (clean.Length >= max)
            {
                return clean.ToString().TrimEnd() + "…";
            }

            clean.Append(char.IsControl(c) ? ' ' : c);
        }

        return clean.ToString();
    }
}
