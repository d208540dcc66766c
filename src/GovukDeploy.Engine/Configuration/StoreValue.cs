using System.Text.RegularExpressions;
using GovukDeploy.Errors;

namespace GovukDeploy.Configuration;

/// <summary>
/// The forms a -Store value may take, checked at the time it is set, and how
/// to show one without its password.
/// </summary>
public static partial class StoreValue
{
    public const string AcceptedForms =
        "'sqlite:<path>' for a file of your own, or a PostgreSQL URL ('postgres://user@host:5432/database') or connection string ('Host=...;Database=...;Username=...') for a team store";

    public static string Normalise(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = trimmed["sqlite:".Length..];
            if (string.IsNullOrWhiteSpace(path) || path.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                throw Invalid(value);
            }

            return "sqlite:" + Path.GetFullPath(Environment.ExpandEnvironmentVariables(path));
        }

        if (IsPostgresUrl(trimmed))
        {
            if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            {
                throw Invalid(value);
            }

            return trimmed;
        }

        if (HostKeyPattern().IsMatch(trimmed))
        {
            return trimmed;
        }

        throw Invalid(value);
    }

    public static bool IsPostgresUrl(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
        value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the value carries a password (which must never be written to the config file).</summary>
    public static bool HasPassword(string value) =>
        (IsPostgresUrl(value) && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':')) ||
        PasswordKeyPattern().IsMatch(value);

    /// <summary>The value with any password replaced by a mask.</summary>
    public static string Redact(string value)
    {
        if (IsPostgresUrl(value))
        {
            return UrlPasswordPattern().Replace(value, "$1:********@");
        }

        return PasswordKeyPattern().Replace(value, "$1=********");
    }

    private static GovukDeployException Invalid(string value) =>
        new("InvalidStore", ErrorKind.InvalidArgument,
            $"Store '{Redact(value)}' is not a store location. Use {AcceptedForms}.", Redact(value));

    [GeneratedRegex(@"(?:^|;)\s*(?:Host|Server)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex HostKeyPattern();

    [GeneratedRegex(@"((?:^|;)\s*(?:Password|Pwd))\s*=\s*[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordKeyPattern();

    [GeneratedRegex(@"(://[^:/@]+):[^@]*@")]
    private static partial Regex UrlPasswordPattern();
}
