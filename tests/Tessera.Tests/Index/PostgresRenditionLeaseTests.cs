using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tessera.Index.Postgres;
using Tessera.Tests.Support;

namespace Tessera.Tests.Index;

/// <summary>Rendition leases on PostgreSQL, between two replicas (two databases on one schema): one holder at a time, a
/// renewed lease holds, an expired one is taken over, a released one is free, and the old owner cannot renew a lease
/// taken from it.</summary>
public sealed class PostgresRenditionLeaseTests : IDisposable
{
    private readonly PostgresSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public async Task ALease_HasOneHolder_UntilReleased()
    {
        using var a = PostgresDatabase.Open(_schema.ConnectionString, NullLogger.Instance);
        using var b = PostgresDatabase.Open(_schema.ConnectionString, NullLogger.Instance);
        var (leasesA, leasesB) = (new PostgresRenditionLeases(a), new PostgresRenditionLeases(b));
        var hour = TimeSpan.FromHours(1);

        Assert.True(await leasesA.TryAcquireAsync("k1", "a", hour, default));
        Assert.False(await leasesB.TryAcquireAsync("k1", "b", hour, default));
        Assert.True(await leasesA.TryAcquireAsync("k1", "a", hour, default)); // its own: still its own
        Assert.True(await leasesB.TryAcquireAsync("k2", "b", hour, default)); // per key
        Assert.False(await leasesB.RenewAsync("k1", "b", hour, default));

        await leasesB.ReleaseAsync("k1", "b", default); // not b's: nothing happens
        Assert.False(await leasesB.TryAcquireAsync("k1", "b", hour, default));
        await leasesA.ReleaseAsync("k1", "a", default);
        Assert.True(await leasesB.TryAcquireAsync("k1", "b", hour, default));
    }

    [Fact]
    public async Task AnExpiredLease_IsTakenOver_AndItsOldOwnerCannotRenewIt()
    {
        using var a = PostgresDatabase.Open(_schema.ConnectionString, NullLogger.Instance);
        using var b = PostgresDatabase.Open(_schema.ConnectionString, NullLogger.Instance);
        var (leasesA, leasesB) = (new PostgresRenditionLeases(a), new PostgresRenditionLeases(b));

        Assert.True(await leasesA.TryAcquireAsync("k", "a", TimeSpan.FromMilliseconds(300), default));
        Assert.True(await leasesA.RenewAsync("k", "a", TimeSpan.FromHours(1), default));
        await Task.Delay(400);
        Assert.False(await leasesB.TryAcquireAsync("k", "b", TimeSpan.FromHours(1), default)); // renewed: held

        Assert.True(await leasesA.RenewAsync("k", "a", TimeSpan.FromMilliseconds(1), default));
        await Task.Delay(50);
        Assert.True(await leasesB.TryAcquireAsync("k", "b", TimeSpan.FromHours(1), default)); // the owner died: taken over
        Assert.False(await leasesA.RenewAsync("k", "a", TimeSpan.FromHours(1), default));
    }

    [Fact]
    public async Task ManyReplicasAskingAtOnce_GrantOneLease()
    {
        var databases = Enumerable.Range(0, 4).Select(_ => PostgresDatabase.Open(_schema.ConnectionString, NullLogger.Instance)).ToList();
        try
        {
            var granted = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
                new PostgresRenditionLeases(databases[i % 4]).TryAcquireAsync("hot", $"owner-{i}", TimeSpan.FromHours(1), default))));
            Assert.Single(granted, g => g);
        }
        finally
        {
            databases.ForEach(d => d.Dispose());
        }
    }

    [Fact]
    public void AMigrationNumberedBelowTheHighestApplied_IsAppliedStill()
    {
        PostgresDatabase.Open(_schema.ConnectionString, NullLogger.Instance).Dispose();
        // As if migration 4 came in a merge after a schema already had 20.
        Run("DELETE FROM schema_version WHERE version = 4; DROP TABLE schedules");

        PostgresDatabase.Open(_schema.ConnectionString, NullLogger.Instance).Dispose();

        Assert.Equal(1L, Run("SELECT count(*) FROM schema_version WHERE version = 4"));
        Assert.Equal(0L, Run("SELECT count(*) FROM schedules"));
    }

    private long Run(string sql)
    {
        using var connection = new NpgsqlConnection(_schema.ConnectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }
}
