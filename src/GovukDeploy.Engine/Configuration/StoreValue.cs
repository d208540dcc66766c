using GovukDeploy.Store;

namespace GovukDeploy.Configuration;

/// <summary>
/// The Store setting: checked by the store's own parser when it is set, and
/// shown without its password.
/// </summary>
public static class StoreValue
{
    public const string AcceptedForms =
        "'sqlite:<path>' for a file of your own, or a PostgreSQL URL ('postgres://user@host:5432/database') or connection string ('Host=...;Database=...;Username=...') for a team store";

    /// <summary>A SQLite location becomes an absolute path; a PostgreSQL one is kept as given once it parses.</summary>
    public static string Normalise(string value)
    {
        var location = StoreLocation.Parse(value);
        return location.Kind == StoreKind.Sqlite ? "sqlite:" + location.SqlitePath : value.Trim();
    }

    /// <summary>True when the value carries a password (which must never be written to the configuration file).</summary>
    public static bool HasPassword(string value) => Redact(value) != value;

    public static string Redact(string value) => StoreLocation.Redact(value);
}
