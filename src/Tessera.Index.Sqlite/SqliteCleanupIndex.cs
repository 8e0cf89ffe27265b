using Tessera.Core.Index;

namespace Tessera.Index.Sqlite;

public sealed class SqliteCleanupIndex(SqliteDatabase database) : ICleanupIndex
{
    public async Task<IReadOnlyList<string>> FingerprintPathsAsync(string after, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("SELECT path FROM fingerprints WHERE path > $a ORDER BY path LIMIT $n",
            r => r.GetString(0), cancellationToken, ("$a", after), ("$n", limit)), cancellationToken).ConfigureAwait(false);

    public Task<(int Fingerprints, IReadOnlyList<StoredKey> Renditions)> RemoveDeletedSourcesAsync(
        IReadOnlyCollection<string> paths, bool commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return database.WriteAsync<(int, IReadOnlyList<StoredKey>)>(async c =>
        {
            var forgotten = 0;
            await using (var forget = c.Command("DELETE FROM fingerprints WHERE path = $p", ("$p", string.Empty)))
            {
                foreach (var path in paths)
                {
                    forget.Parameters["$p"].Value = path;
                    forgotten += await forget.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            // Originals derived from a source that is gone go with it; downloads stay until eviction takes them.
            await c.ExecuteAsync("DELETE FROM derived WHERE step IN ('embedded', 'frame') AND source NOT IN (SELECT content_hash FROM fingerprints)",
                cancellationToken).ConfigureAwait(false);
            var removed = await c.ListAsync("""
                DELETE FROM renditions WHERE content_hash IS NOT NULL AND content_hash NOT IN (SELECT content_hash FROM fingerprints)
                    AND content_hash NOT IN (SELECT original FROM derived WHERE original IS NOT NULL)
                RETURNING key, ext, bytes
                """, r => new StoredKey(r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken).ConfigureAwait(false);
            return (forgotten, removed);
        }, cancellationToken, commit);
    }

    public async Task<IReadOnlyList<StoredKey>> RenditionPageAsync(string after, long? accessedBefore, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("""
            SELECT key, ext, bytes FROM renditions WHERE key > $a AND ($t IS NULL OR last_access < $t) ORDER BY key LIMIT $n
            """, r => new StoredKey(r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken, ("$a", after), ("$t", accessedBefore), ("$n", limit)),
            cancellationToken).ConfigureAwait(false);
}
