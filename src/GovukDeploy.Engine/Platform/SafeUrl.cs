namespace GovukDeploy;

/// <summary>Addresses that come from services are data: only absolute http(s) ones are shown, opened or followed.</summary>
public static class SafeUrl
{
    /// <summary>The longest address kept; anything longer is not a review app's address.</summary>
    public const int MaxLength = 2048;

    /// <summary>The address when it is an absolute http or https URL of sane length, with nothing that could steer a terminal; else null.</summary>
    public static string? Http(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxLength || value.Any(char.IsControl))
        {
            return null;
        }

        return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.AbsoluteUri
            : null;
    }
}
