using Microsoft.Data.Sqlite;

namespace Tessera.Core.Index;

/// <summary>Eviction queries: LRU order comes from an index on last_access, so finding the oldest is cheap.</summary>
public sealed partial class SqliteCacheIndex : IEvictionIndex
{
    public async Task<long> TotalBytesAsync(CancellationToken cancellationToken)
    {
        await using var connection = Open();
        return await ScalarAsync(connection, "SELECT coalesce(sum(bytes), 0) FROM renditions", cancellationToken).ConfigureAwait(false);
    }

    public async Task TouchAsync(IReadOnlyCollection<KeyValuePair<string, long>> accesses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accesses);
        if (accesses.Count == 0)
        {
            return;
        }

        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = Open();
            await using var tx = connection.BeginTransaction(deferred: false);
            await using var cmd = Command(connection, "UPDATE renditions SET last_access = max(last_access, $t) WHERE key = $k",
                ("$t", 0L), ("$k", string.Empty));
            cmd.Transaction = tx;
            foreach (var (key, at) in accesses)
            {
                cmd.Parameters["$t"].Value = at;
                cmd.Parameters["$k"].Value = key;
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writer.Release();
        }
    }

    public async Task<IReadOnlyList<EvictionCandidate>> OldestAsync(int count, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = Command(connection, "SELECT key, ext, bytes, last_access FROM renditions ORDER BY last_access, key LIMIT $n", ("$n", count));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var oldest = new List<EvictionCandidate>(count);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            oldest.Add(new EvictionCandidate(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return oldest;
    }

    public async Task<IReadOnlyList<string>> DeleteRenditionsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var deleted = new List<string>(keys.Count);
        if (keys.Count == 0)
        {
            return deleted;
        }

        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = Open();
            await using var tx = connection.BeginTransaction(deferred: false);
            await using var cmd = Command(connection, "DELETE FROM renditions WHERE key = $k", ("$k", string.Empty));
            cmd.Transaction = tx;
            foreach (var key in keys)
            {
                cmd.Parameters["$k"].Value = key;
                if (await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
                {
                    deleted.Add(key);
                }
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return deleted;
        }
        finally
        {
            _writer.Release();
        }
    }

    private static void InitializeEviction(SqliteConnection connection) =>
        Execute(connection, "CREATE INDEX IF NOT EXISTS renditions_last_access ON renditions(last_access)");
}
