using System.Text.RegularExpressions;
using GovukDeploy.Platform;
using Npgsql;

namespace GovukDeploy.Store;

/// <summary>
/// Where the store lives: <c>sqlite:&lt;path&gt;</c>, a <c>postgres://</c> (or <c>postgresql://</c>)
/// URL, or a PostgreSQL connection string (<c>Host=...;Database=...</c>). ToString never
/// shows a password.
/// </summary>
public sealed partial class StoreLocation
{
    private StoreLocation(StoreKind kind, string display, string? path, string? connectionString)
    {
        Kind = kind;
        Display = display;
        SqlitePath = path;
        PostgresConnectionString = connectionString;
    }

    public StoreKind Kind { get; }

    /// <summary>The location as it may be shown to a user: the password, if any, is left out.</summary>
    public string Display { get; }

    /// <summary>The full path of the SQLite file (SQLite only).</summary>
    public string? SqlitePath { get; }

    /// <summary>The Npgsql connection string, password included when one was given (PostgreSQL only). Never show it.</summary>
    internal string? PostgresConnectionString { get; }

    /// <summary>The default store: store.db in the platform's data folder.</summary>
    public static StoreLocation Default => Parse("sqlite:" + Path.Combine(PlatformPaths.DataDirectory, "store.db"));

    public override string ToString() => Display;

    public static StoreLocation Parse(string value)
    {
        var text = value?.Trim() ?? "";
        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["sqlite:".Length..].Trim();
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                // sqlite:///abs/path and sqlite://rel read like URLs; take what follows the scheme's slashes.
                path = path[2..];
            }
            if (path.Length == 0)
            {
                throw Errors.ErrorCatalogue.InvalidStore(Redact(text));
            }
            path = ExpandHome(path);
            var full = Path.GetFullPath(path);
            return new StoreLocation(StoreKind.Sqlite, "sqlite:" + full, full, null);
        }
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return FromBuilder(ParseUrl(text), text);
        }
        if (ConnectionStringHost().IsMatch(text))
        {
            NpgsqlConnectionStringBuilder builder;
            try
            {
                builder = new NpgsqlConnectionStringBuilder(text);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw Errors.ErrorCatalogue.InvalidStore(Redact(text));
            }
            return FromBuilder(builder, text);
        }
        throw Errors.ErrorCatalogue.InvalidStore(Redact(text));
    }

    private static StoreLocation FromBuilder(NpgsqlConnectionStringBuilder builder, string original)
    {
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw Errors.ErrorCatalogue.InvalidStore(Redact(original));
        }
        var display = $"postgres://{(string.IsNullOrEmpty(builder.Username) ? "" : Uri.EscapeDataString(builder.Username) + "@")}{HostForUrl(builder.Host)}:{builder.Port}/{builder.Database}";
        return new StoreLocation(StoreKind.Postgres, display, null, builder.ConnectionString);
    }

    private static string HostForUrl(string host) => host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;

    private static NpgsqlConnectionStringBuilder ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw Errors.ErrorCatalogue.InvalidStore(Redact(text));
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
        };
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                // libpq's URL parameters, under the names Npgsql knows them by.
                builder[key.ToLowerInvariant() switch
                {
                    "sslmode" => "SSL Mode",
                    "connect_timeout" => "Timeout",
                    "application_name" => "Application Name",
                    "options" => "Options",
                    _ => key,
                }] = value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw Errors.ErrorCatalogue.InvalidStore(Redact(text));
            }
        }
        return builder;
    }

    private static string ExpandHome(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "");
        }
        return path;
    }

    /// <summary>The value with any password replaced by ***, fit for a message.</summary>
    public static string Redact(string value)
    {
        var redacted = UrlPassword().Replace(value, "$1***@");
        return ConnectionStringPassword().Replace(redacted, "$1***");
    }

    [GeneratedRegex(@"(?:^|;)\s*(host|server)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringHost();

    [GeneratedRegex(@"(://[^:/@\s]*:)[^@/\s]*@")]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"((?:^|;)\s*(?:password|pwd)\s*=)[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();
}
