using Npgsql;
using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

/// <summary>LRU order comes from an index on (last_access, key), and the total from the kept totals, so neither scans.</summary>
public sealed class PostgresEvictionIndex(PostgresDatabase database) : IEvictionIndex
{
    public Task<long> TotalBytesAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ScalarAsync("SELECT coalesce(sum(bytes), 0) FROM rendition_totals", cancellationToken), cancellationToken);

    /// <summary>One statement for the whole batch; keys in order, so replicas touching the same keys lock them alike.</summary>
    public Task TouchAsync(IReadOnlyCollection<KeyValuePair<string, long>> accesses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accesses);
        if (accesses.Count == 0)
        {
            return Task.CompletedTask;
        }

        var latest = accesses.GroupBy(a => a.Key, StringComparer.Ordinal).Select(g => (Key: g.Key, At: g.Max(a => a.Value)))
            .OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
        return database.StatementAsync(c => c.ExecuteAsync("""
            UPDATE renditions r SET last_access = v.t FROM unnest(@k, @t) AS v(k, t) WHERE r.key = v.k AND r.last_access < v.t
            """, cancellationToken, ("k", latest.Select(a => a.Key).ToArray()), ("t", latest.Select(a => a.At).ToArray())), cancellationToken);
    }

    public async Task<IReadOnlyList<EvictionCandidate>> OldestAsync(int count, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("SELECT key, ext, bytes, last_access FROM renditions ORDER BY last_access, key LIMIT @n",
            Candidate, cancellationToken, ("n", Math.Max(0, count))), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<EvictionCandidate>> OldestAfterAsync(long lastAccess, string key, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("""
            SELECT key, ext, bytes, last_access FROM renditions WHERE (last_access, key) > (@t, @k) ORDER BY last_access, key LIMIT @n
            """, Candidate, cancellationToken, ("t", lastAccess), ("k", key), ("n", Math.Max(0, limit))), cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<string>> DeleteRenditionsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        return database.StatementAsync<IReadOnlyList<string>>(async c =>
        {
            var deleted = (await c.ListAsync("DELETE FROM renditions WHERE key = ANY(@k) RETURNING key", r => r.GetString(0), cancellationToken,
                ("k", PostgresCommands.Array(keys))).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            return [.. keys.Distinct(StringComparer.Ordinal).Where(deleted.Contains)];
        }, cancellationToken);
    }

    private static EvictionCandidate Candidate(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3));
}
