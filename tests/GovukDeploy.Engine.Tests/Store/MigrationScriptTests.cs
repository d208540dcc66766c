using System.Data.Common;
using Dapper;
using GovukDeploy.Store.Sql;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GovukDeploy.Tests.Store;

/// <summary>
/// A migration runs as one script in the migration transaction: a ';' inside a string literal or a
/// trigger (or function) body is text, every statement runs, and a script that fails part way leaves nothing.
/// </summary>
public sealed class MigrationScriptTests
{
    private const string SqliteScript = """
        CREATE TABLE notes (id {ID}, body text NOT NULL);
        CREATE TABLE note_log (body text NOT NULL);
        CREATE TRIGGER notes_logged AFTER INSERT ON notes BEGIN
            INSERT INTO note_log (body) VALUES (NEW.body || '; logged');
        END;
        INSERT INTO notes (body) VALUES ('first; second');
        INSERT INTO notes (body) VALUES ('third')
        """;

    private const string PostgresScript = """
        CREATE TABLE notes (id {ID}, body text NOT NULL);
        CREATE TABLE note_log (body text NOT NULL);
        CREATE FUNCTION log_note() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO note_log (body) VALUES (NEW.body || '; logged');
            RETURN NEW;
        END;
        $$;
        CREATE TRIGGER notes_logged AFTER INSERT ON notes FOR EACH ROW EXECUTE FUNCTION log_note();
        INSERT INTO notes (body) VALUES ('first; second');
        INSERT INTO notes (body) VALUES ('third')
        """;

    [Fact]
    public async Task SemicolonsInLiteralsAndTriggerBodiesRunAsOneScriptOnSqlite()
    {
        await using var connection = await OpenSqliteAsync();
        await ApplyAsync(connection, SqlDialect.Sqlite, [new(1, "notes with a trigger", SqliteScript)]);

        await AssertNotesAndLogAsync(connection);
    }

    [Fact]
    public async Task AScriptThatFailsPartWayLeavesNothingOnSqlite()
    {
        await using var connection = await OpenSqliteAsync();
        Migration[] migrations =
        [
            new(1, "notes", "CREATE TABLE notes (body text NOT NULL); INSERT INTO notes (body) VALUES ('a; b')"),
            new(2, "broken", "CREATE TABLE kept_if_split (x text); INSERT INTO no_such_table VALUES (1)"),
        ];

        await Assert.ThrowsAsync<SqliteException>(() => ApplyAsync(connection, SqlDialect.Sqlite, migrations));

        var tables = await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'");
        Assert.Empty(tables);
    }

    [PostgresFact]
    public async Task SemicolonsInLiteralsAndFunctionBodiesRunAsOneScriptOnPostgres()
    {
        var schema = "m_" + Guid.NewGuid().ToString("N");
        var connectionString = TestPostgres.ConnectionString();
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await setup.ExecuteAsync($"CREATE SCHEMA {schema}");
        }
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString);
            await connection.OpenAsync();
            await ApplyAsync(connection, SqlDialect.Postgres, [new(1, "notes with a trigger", PostgresScript)]);

            await AssertNotesAndLogAsync(connection);
        }
        finally
        {
            await using var cleanup = new NpgsqlConnection(connectionString);
            await cleanup.OpenAsync();
            await cleanup.ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    private static async Task<SqliteConnection> OpenSqliteAsync()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ApplyAsync(DbConnection connection, SqlDialect dialect, IReadOnlyList<Migration> migrations)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await Migrations.ApplyAsync(migrations, connection, transaction, dialect, "test", 0, CancellationToken.None);
        await transaction.CommitAsync();
    }

    private static async Task AssertNotesAndLogAsync(DbConnection connection)
    {
        Assert.Equal(["first; second", "third"], await connection.QueryAsync<string>("SELECT body FROM notes ORDER BY id"));
        Assert.Equal(["first; second; logged", "third; logged"], await connection.QueryAsync<string>("SELECT body FROM note_log ORDER BY body"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT max(version) FROM schema_version"));
    }
}
