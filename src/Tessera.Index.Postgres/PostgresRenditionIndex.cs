using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

public sealed class PostgresRenditionIndex(PostgresDatabase database) : IRenditionIndex
{
    public Task RecordRenditionAsync(RenditionRecord rendition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rendition);
        return database.StatementAsync(c => c.ExecuteAsync("""
            INSERT INTO renditions AS r(key, ext, bytes, content_hash, preset, width, height, gen_ms, created_at, last_access, checksum, settings, thumbhash, colour)
            VALUES (@k, @e, @b, @h, @p, @w, @ht, @g, @now, @now, @c, @s, @th, @co)
            ON CONFLICT(key) DO UPDATE SET ext = @e, bytes = @b, checksum = @c, content_hash = coalesce(@h, r.content_hash), settings = coalesce(@s, r.settings),
                preset = coalesce(@p, r.preset), width = @w, height = @ht, gen_ms = coalesce(@g, r.gen_ms), last_access = @now,
                thumbhash = coalesce(@th, r.thumbhash), colour = coalesce(@co, r.colour)
            """, cancellationToken,
            ("k", rendition.Key), ("e", rendition.Extension), ("b", rendition.Bytes), ("h", rendition.ContentHash),
            ("p", rendition.Preset), ("w", rendition.Width), ("ht", rendition.Height), ("g", rendition.GenerationMs),
            ("now", PostgresCommands.Now()), ("c", rendition.Checksum), ("s", rendition.Settings),
            ("th", rendition.Preview?.ThumbHash), ("co", rendition.Preview?.Colour)), cancellationToken);
    }

    public Task<RenditionCheck?> GetRenditionCheckAsync(string key, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.FirstAsync("SELECT bytes, checksum, settings FROM renditions WHERE key = @k",
            r => new RenditionCheck(key, string.Empty, r.GetInt64(0), r.NullableString(1)) { Settings = r.NullableString(2) }, cancellationToken, ("k", key)),
            cancellationToken);

    public Task<IReadOnlyList<StoredKey>> RemoveRenditionsAsync(string? preset, IReadOnlyCollection<string>? contentHashes, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<StoredKey>>(async c => await c.ListAsync("""
            DELETE FROM renditions WHERE (@p::text IS NULL OR preset = @p) AND (@h::text[] IS NULL OR content_hash = ANY(@h)) RETURNING key, ext, bytes
            """, r => new StoredKey(r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken,
            ("p", preset), ("h", contentHashes is null ? null : PostgresCommands.Array(contentHashes))).ConfigureAwait(false), cancellationToken);

    public async Task<IReadOnlySet<string>> ExistingKeysAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var list = PostgresCommands.Array(keys);
        if (list.Length == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        return (await database.ReadAsync(c => c.ListAsync("SELECT key FROM renditions WHERE key = ANY(@in)", r => r.GetString(0), cancellationToken,
            ("in", list)), cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
    }

    public Task<IReadOnlyDictionary<string, RenditionInfo>> GetRenditionsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return database.ReadAsync<IReadOnlyDictionary<string, RenditionInfo>>(async c =>
            (await c.ListAsync("SELECT key, ext, coalesce(width, 0), coalesce(height, 0), thumbhash, colour FROM renditions WHERE key = ANY(@in)",
                r => new RenditionInfo(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3),
                    r.IsDBNull(4) || r.IsDBNull(5) ? null : new Core.Pipeline.Preview(r.GetString(4), r.GetString(5))), cancellationToken,
                ("in", PostgresCommands.Array(keys))).ConfigureAwait(false)).ToDictionary(i => i.Key, StringComparer.Ordinal), cancellationToken);
    }

    public Task MarkLibraryAsync(string key, string library, CancellationToken cancellationToken) =>
        database.StatementAsync(c => c.ExecuteAsync("INSERT INTO rendition_libraries(key, library) VALUES (@k, @l) ON CONFLICT DO NOTHING",
            cancellationToken, ("k", key), ("l", library)), cancellationToken);

    public Task<IReadOnlyList<string>> LibrariesOfAsync(string key, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(async c => await c.ListAsync("SELECT library FROM rendition_libraries WHERE key = @k ORDER BY library",
            r => r.GetString(0), cancellationToken, ("k", key)).ConfigureAwait(false), cancellationToken);
}
