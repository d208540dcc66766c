using System.Net;
using GovukDeploy.Store.Postgres;
using GovukDeploy.Store.Sqlite;
using NodaTime;
using Npgsql;

namespace GovukDeploy.Store;

/// <summary>Opens the store a location names. Nothing is touched until the store's first use.</summary>
public static class DeployStoreFactory
{
    /// <summary>How long connecting to PostgreSQL may take when the location does not say (seconds).</summary>
    public const int DefaultConnectTimeoutSeconds = 5;

    /// <summary>How long PostgreSQL lets a session sit idle inside a transaction before ending it.</summary>
    public const int IdleInTransactionTimeoutMs = 60_000;

    public static IDeployStore Open(string location, NetworkCredential? credential = null, IClock? clock = null) =>
        Open(StoreLocation.Parse(location), credential, clock);

    /// <param name="credential">For PostgreSQL: overrides the URL's user and password. Without it the password comes from the location, else PGPASSWORD.</param>
    public static IDeployStore Open(StoreLocation location, NetworkCredential? credential = null, IClock? clock = null)
    {
        clock ??= SystemClock.Instance;
        return location.Kind switch
        {
            StoreKind.Sqlite => new SqliteDeployStore(location.SqlitePath!, clock),
            _ => new PostgresDeployStore(PostgresBuilder(location, credential), clock),
        };
    }

    internal static NpgsqlConnectionStringBuilder PostgresBuilder(StoreLocation location, NetworkCredential? credential)
    {
        var builder = new NpgsqlConnectionStringBuilder(location.PostgresConnectionString);
        if (credential is not null)
        {
            if (!string.IsNullOrEmpty(credential.UserName))
            {
                builder.Username = credential.UserName;
            }
            builder.Password = credential.Password;
        }
        else if (string.IsNullOrEmpty(builder.Password) && Environment.GetEnvironmentVariable("PGPASSWORD") is { Length: > 0 } password)
        {
            builder.Password = password;
        }
        if (string.IsNullOrEmpty(builder.Username) && Environment.GetEnvironmentVariable("PGUSER") is { Length: > 0 } user)
        {
            builder.Username = user;
        }
        if (!System.Text.RegularExpressions.Regex.IsMatch(location.PostgresConnectionString!, @"(?:^|;)\s*timeout\s*=", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
        {
            builder.Timeout = DefaultConnectTimeoutSeconds;
        }
        builder.ApplicationName ??= "GovukDeploy";
        // A client that vanishes mid-transaction (a machine lost, not a process killed) would hold
        // the store's write lock until TCP noticed; the server ends such a session after a minute.
        if (builder.Options?.Contains("idle_in_transaction_session_timeout", StringComparison.OrdinalIgnoreCase) != true)
        {
            builder.Options = $"{builder.Options} -c idle_in_transaction_session_timeout={IdleInTransactionTimeoutMs}".Trim();
        }
        return builder;
    }
}
