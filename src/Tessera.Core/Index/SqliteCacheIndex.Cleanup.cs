namespace Tessera.Core.Index;

/// <summary>Cleanup queries. Every listing is a keyset page, so a cleanup of a million rows never holds them all.</summary>
public sealed partial class SqliteCacheIndex
{
    /// <summary>Fingerprinted source paths after <paramref name="after"/>, in path order.</summary>
    public async Task<IReadOnlyList<string>> FingerprintPathsAsync(string after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = Command(connection, "SELECT path FROM fingerprints WHERE path > $a ORDER BY path LIMIT $n", ("$a", after), ("$n", limit));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var paths = new List<string>(limit);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            paths.Add(reader.GetString(0));
        }

        return paths;
    }

    /// <summary>Forgets these fingerprints, then deletes the rendition rows whose content no fingerprint has any more,
    /// in one transaction; returns what went so the caller can remove the files. Without commit it rolls back, which
    /// gives a dry run the exact answer. Rows rebuilt from files have no content hash and are kept: nothing says
    /// their source is gone.</summary>
    public async Task<(int Fingerprints, IReadOnlyList<StoredKey> Renditions)> RemoveDeletedSourcesAsync(
        IReadOnlyCollection<string> paths, bool commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = Open();
            await using var tx = connection.BeginTransaction(deferred: false);
            var forgotten = 0;
            await using (var forget = Command(connection, "DELETE FROM fingerprints WHERE path = $p", ("$p", string.Empty)))
            {
                forget.Transaction = tx;
                foreach (var path in paths)
                {
                    forget.Parameters["$p"].Value = path;
                    forgotten += await forget.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            // Originals derived from a source that is gone go with it; downloads stay until eviction takes them.
            await using (var derived = Command(connection,
                "DELETE FROM derived WHERE step IN ('embedded', 'frame') AND source NOT IN (SELECT content_hash FROM fingerprints)"))
            {
                derived.Transaction = tx;
                await derived.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            const string Orphaned = "content_hash IS NOT NULL AND content_hash NOT IN (SELECT content_hash FROM fingerprints)"
                + " AND content_hash NOT IN (SELECT original FROM derived WHERE original IS NOT NULL)";
            var removed = new List<StoredKey>();
            await using (var select = Command(connection, $"SELECT key, ext, bytes FROM renditions WHERE {Orphaned}"))
            {
                select.Transaction = tx;
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    removed.Add(new StoredKey(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
                }
            }

            await using (var delete = Command(connection, $"DELETE FROM renditions WHERE {Orphaned}"))
            {
                delete.Transaction = tx;
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (commit)
            {
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
            }

            return (forgotten, removed);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Rendition rows after <paramref name="after"/> in key order, optionally only those last used before a time.</summary>
    public async Task<IReadOnlyList<StoredKey>> RenditionPageAsync(string after, long? accessedBefore, int limit, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = Command(connection, """
            SELECT key, ext, bytes FROM renditions WHERE key > $a AND ($t IS NULL OR last_access < $t) ORDER BY key LIMIT $n
            """, ("$a", after), ("$t", accessedBefore), ("$n", limit));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var page = new List<StoredKey>(limit);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(new StoredKey(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return page;
    }

    /// <summary>Renditions in LRU order after the (last_access, key) cursor: <see cref="OldestAsync"/>, but pageable,
    /// so a dry run can walk past rows it did not delete.</summary>
    public async Task<IReadOnlyList<EvictionCandidate>> OldestAfterAsync(long lastAccess, string key, int limit, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = Command(connection, """
            SELECT key, ext, bytes, last_access FROM renditions WHERE (last_access, key) > ($t, $k) ORDER BY last_access, key LIMIT $n
            """, ("$t", lastAccess), ("$k", key), ("$n", limit));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var page = new List<EvictionCandidate>(limit);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(new EvictionCandidate(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return page;
    }

    /// <summary>Which of these keys have a rendition row.</summary>
    public async Task<IReadOnlySet<string>> ExistingKeysAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await using var connection = Open();
        await using var cmd = Command(connection, "SELECT 1 FROM renditions WHERE key = $k", ("$k", string.Empty));
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            cmd.Parameters["$k"].Value = key;
            if (await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                found.Add(key);
            }
        }

        return found;
    }
}
