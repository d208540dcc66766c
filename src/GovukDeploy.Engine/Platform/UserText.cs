using GovukDeploy.Errors;

namespace GovukDeploy;

/// <summary>
/// Free text a person gives (a reason, a contact, a note, an announcement). It is stored as given, but it may
/// hold no control characters other than a line break or a tab: an escape sequence in a freeze reason would
/// otherwise reach every terminal that shows it.
/// </summary>
public static class UserText
{
    /// <summary>Returns the text, or throws InvalidText (InvalidArgument) naming the parameter.</summary>
    public static string? Check(string? text, string parameter)
    {
        if (TerminalText.HasForbiddenControl(text))
        {
            var shown = TerminalText.Visible(text!.Length > 200 ? text[..200] + "…" : text);
            throw ErrorCatalogue.InvalidText(parameter, shown);
        }

        return text;
    }
}
