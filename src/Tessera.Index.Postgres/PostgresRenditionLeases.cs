using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

/// <summary>Rendition leases as rows: each call is one statement, and expiry is the database's clock, so replicas
/// whose clocks disagree still agree on when a lease has run out. A lease is granted by one conditional upsert: a
/// replica that waited on the row lock finds it taken and unexpired, and gets no row back.</summary>
public sealed class PostgresRenditionLeases(PostgresDatabase database) : IRenditionLeases
{
    public async Task<bool> TryAcquireAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
        (await database.StatementAsync(c => c.ListAsync("""
            INSERT INTO rendition_leases AS l(key, owner, expires_at) VALUES (@k, @o, clock_timestamp() + make_interval(secs => @s))
            ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE l.expires_at < clock_timestamp() OR l.owner = excluded.owner
            RETURNING 1
            """, r => r.GetInt32(0), cancellationToken, ("k", key), ("o", owner), ("s", duration.TotalSeconds)), cancellationToken).ConfigureAwait(false)).Count == 1;

    public async Task<bool> RenewAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
        await database.StatementAsync(c => c.ExecuteAsync(
            "UPDATE rendition_leases SET expires_at = clock_timestamp() + make_interval(secs => @s) WHERE key = @k AND owner = @o",
            cancellationToken, ("k", key), ("o", owner), ("s", duration.TotalSeconds)), cancellationToken).ConfigureAwait(false) == 1;

    public Task ReleaseAsync(string key, string owner, CancellationToken cancellationToken) =>
        database.StatementAsync(c => c.ExecuteAsync("DELETE FROM rendition_leases WHERE key = @k AND owner = @o",
            cancellationToken, ("k", key), ("o", owner)), cancellationToken);
}
