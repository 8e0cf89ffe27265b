using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tessera.Index.Postgres;
using Tessera.Tests.Support;

namespace Tessera.Tests.Index;

/// <summary>How many connections one replica may open: at most 20 unless the connection string says otherwise, so a
/// few replicas in a burst stay inside PostgreSQL's default max_connections (100, which was Npgsql's default per pool).</summary>
public sealed class PostgresPoolSizeTests : IDisposable
{
    private readonly PostgresSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public void WithoutAPoolSizeInTheConnectionString_AReplicaOpensAtMost20()
    {
        using var database = PostgresDatabase.Open(_schema.ConnectionString, NullLogger.Instance);
        Assert.Equal(PostgresDatabase.DefaultMaxPoolSize, database.MaxPoolSize);
        Assert.Equal(20, database.MaxPoolSize);
    }

    [Theory]
    [InlineData("Maximum Pool Size", 7)]
    [InlineData("MaxPoolSize", 33)]
    [InlineData("maximum pool size", 5)]
    public void APoolSizeInTheConnectionString_IsKept(string keyword, int size)
    {
        using var database = PostgresDatabase.Open($"{_schema.ConnectionString};{keyword}={size}", NullLogger.Instance);
        Assert.Equal(size, database.MaxPoolSize);
    }

    [Fact]
    public async Task MoreStatementsAtOnceThanThePoolHas_WaitForAConnection_NoneFails()
    {
        using var database = PostgresDatabase.Open(_schema.ConnectionString + ";Maximum Pool Size=3", NullLogger.Instance);
        var fingerprints = new PostgresFingerprintIndex(database);

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => fingerprints.PutFingerprintAsync(
            new Tessera.Core.Index.Fingerprint($"/lib/f{i}", i + 1, i, new string('a', 64), null, null), CancellationToken.None)));

        Assert.Equal(60L, RowCount());
    }

    private long RowCount()
    {
        using var connection = new NpgsqlConnection(_schema.ConnectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand("SELECT count(*) FROM fingerprints", connection);
        return (long)cmd.ExecuteScalar()!;
    }
}
