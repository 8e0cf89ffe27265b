using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

public sealed class PostgresCleanupIndex(PostgresDatabase database) : ICleanupIndex
{
    public async Task<IReadOnlyList<string>> FingerprintPathsAsync(string after, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("SELECT path FROM fingerprints WHERE path > @a ORDER BY path LIMIT @n",
            r => r.GetString(0), cancellationToken, ("a", after), ("n", Math.Max(0, limit))), cancellationToken).ConfigureAwait(false);

    public Task<(int Fingerprints, IReadOnlyList<StoredKey> Renditions)> RemoveDeletedSourcesAsync(
        IReadOnlyCollection<string> paths, bool commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return database.WriteAsync<(int, IReadOnlyList<StoredKey>)>(async c =>
        {
            var forgotten = await c.ExecuteAsync("DELETE FROM fingerprints WHERE path = ANY(@p)", cancellationToken, ("p", PostgresCommands.Array(paths)))
                .ConfigureAwait(false);

            // Originals derived from a source that is gone go with it; downloads stay until eviction takes them.
            await c.ExecuteAsync("""
                DELETE FROM derived d WHERE d.step IN ('embedded', 'frame') AND NOT EXISTS (SELECT 1 FROM fingerprints f WHERE f.content_hash = d.source)
                """, cancellationToken).ConfigureAwait(false);
            var removed = await c.ListAsync("""
                DELETE FROM renditions r WHERE r.content_hash IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM fingerprints f WHERE f.content_hash = r.content_hash)
                    AND NOT EXISTS (SELECT 1 FROM derived d WHERE d.original = r.content_hash)
                RETURNING key, ext, bytes
                """, r => new StoredKey(r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken).ConfigureAwait(false);
            return (forgotten, removed);
        }, cancellationToken, commit);
    }

    public async Task<IReadOnlyList<StoredKey>> RenditionPageAsync(string after, long? accessedBefore, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("""
            SELECT key, ext, bytes FROM renditions WHERE key > @a AND (@t::bigint IS NULL OR last_access < @t) ORDER BY key LIMIT @n
            """, r => new StoredKey(r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken, ("a", after), ("t", accessedBefore), ("n", Math.Max(0, limit))),
            cancellationToken).ConfigureAwait(false);
}
