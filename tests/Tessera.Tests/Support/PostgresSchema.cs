using Npgsql;

namespace Tessera.Tests.Support;

/// <summary>A fresh schema in the test PostgreSQL (<c>TESSERA_POSTGRES</c>, set by ./test, which starts the server with
/// scripts/test-postgres), dropped on dispose: each test gets its own, so tests stay independent and parallel.
/// Without the variable it fails, saying what to do: a test on PostgreSQL never passes silently.</summary>
public sealed class PostgresSchema : IDisposable
{
    public PostgresSchema()
    {
        Server = ServerConnectionString();
        Name = "t_" + Guid.NewGuid().ToString("N");
        Run($"CREATE SCHEMA {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(Server) { SearchPath = Name }.ConnectionString;
    }

    /// <summary>The schema's name (a search path of its own).</summary>
    public string Name { get; }

    /// <summary>A connection string whose search path is this schema.</summary>
    public string ConnectionString { get; }

    private string Server { get; }

    public static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable("TESSERA_POSTGRES") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                "TESSERA_POSTGRES is not set: run ./test (it starts a throwaway PostgreSQL with scripts/test-postgres and sets it), or start one " +
                "yourself (`scripts/test-postgres start` prints the connection string) and export TESSERA_POSTGRES=that-string");

    /// <summary>Runs one statement on the server (as the test role), outside the schema.</summary>
    public void Run(string sql)
    {
        using var connection = new NpgsqlConnection(Server);
        connection.Open();
        using var cmd = new NpgsqlCommand(sql, connection);
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        Run($"DROP SCHEMA IF EXISTS {Name} CASCADE");
    }
}
