namespace GovukDeploy;

/// <summary>
/// For the format views: free text (a freeze reason, an audit detail) with its control characters shown
/// rather than obeyed, as every other line GovukDeploy writes. Public so that a view's script block can
/// call it; it takes and returns plain strings.
/// </summary>
public static class TerminalDisplay
{
    public static string Visible(string? text) => TerminalText.Visible(text);
}
