using Microsoft.Data.Sqlite;
using Tessera.Core.Index;

namespace Tessera.Index.Sqlite;

/// <summary>LRU order comes from an index on last_access, and the total from the kept totals, so neither scans.</summary>
public sealed class SqliteEvictionIndex(SqliteDatabase database) : IEvictionIndex
{
    public Task<long> TotalBytesAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ScalarAsync("SELECT coalesce(sum(bytes), 0) FROM rendition_totals", cancellationToken), cancellationToken);

    public Task TouchAsync(IReadOnlyCollection<KeyValuePair<string, long>> accesses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accesses);
        if (accesses.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(async c =>
        {
            await using var cmd = c.Command("UPDATE renditions SET last_access = max(last_access, $t) WHERE key = $k", ("$t", 0L), ("$k", string.Empty));
            foreach (var (key, at) in accesses)
            {
                cmd.Parameters["$t"].Value = at;
                cmd.Parameters["$k"].Value = key;
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<EvictionCandidate>> OldestAsync(int count, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("SELECT key, ext, bytes, last_access FROM renditions ORDER BY last_access, key LIMIT $n",
            Candidate, cancellationToken, ("$n", count)), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<EvictionCandidate>> OldestAfterAsync(long lastAccess, string key, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("""
            SELECT key, ext, bytes, last_access FROM renditions WHERE (last_access, key) > ($t, $k) ORDER BY last_access, key LIMIT $n
            """, Candidate, cancellationToken, ("$t", lastAccess), ("$k", key), ("$n", limit)), cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<string>> DeleteRenditionsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        return database.WriteAsync<IReadOnlyList<string>>(async c =>
        {
            var deleted = new List<string>(keys.Count);
            await using var cmd = c.Command("DELETE FROM renditions WHERE key = $k", ("$k", string.Empty));
            foreach (var key in keys)
            {
                cmd.Parameters["$k"].Value = key;
                if (await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
                {
                    deleted.Add(key);
                }
            }

            return deleted;
        }, cancellationToken);
    }

    private static EvictionCandidate Candidate(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3));
}
