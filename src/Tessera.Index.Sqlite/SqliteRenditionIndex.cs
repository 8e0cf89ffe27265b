using Tessera.Core.Index;

namespace Tessera.Index.Sqlite;

public sealed class SqliteRenditionIndex(SqliteDatabase database) : IRenditionIndex
{
    public Task RecordRenditionAsync(RenditionRecord rendition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rendition);
        return database.WriteStatementAsync(c => c.ExecuteAsync("""
            INSERT INTO renditions(key, ext, bytes, content_hash, preset, width, height, gen_ms, created_at, last_access, checksum, settings, thumbhash, colour)
            VALUES ($k, $e, $b, $h, $p, $w, $ht, $g, $now, $now, $c, $s, $th, $co)
            ON CONFLICT(key) DO UPDATE SET ext = $e, bytes = $b, checksum = $c, content_hash = coalesce($h, content_hash), settings = coalesce($s, settings),
                preset = coalesce($p, preset), width = $w, height = $ht, gen_ms = coalesce($g, gen_ms), last_access = $now,
                thumbhash = coalesce($th, thumbhash), colour = coalesce($co, colour)
            """, cancellationToken,
            ("$k", rendition.Key), ("$e", rendition.Extension), ("$b", rendition.Bytes), ("$h", rendition.ContentHash),
            ("$p", rendition.Preset), ("$w", rendition.Width), ("$ht", rendition.Height), ("$g", rendition.GenerationMs),
            ("$now", SqliteCommands.Now()), ("$c", rendition.Checksum), ("$s", rendition.Settings),
            ("$th", rendition.Preview?.ThumbHash), ("$co", rendition.Preview?.Colour)), cancellationToken);
    }

    public Task<RenditionCheck?> GetRenditionCheckAsync(string key, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.FirstAsync("SELECT bytes, checksum, settings FROM renditions WHERE key = $k",
            r => new RenditionCheck(key, string.Empty, r.GetInt64(0), r.NullableString(1)) { Settings = r.NullableString(2) }, cancellationToken, ("$k", key)),
            cancellationToken);

    public Task<IReadOnlyList<StoredKey>> RemoveRenditionsAsync(string? preset, IReadOnlyCollection<string>? contentHashes, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<StoredKey>>(async c =>
        {
            var removed = new List<StoredKey>();
            foreach (var hash in contentHashes ?? [null!])
            {
                removed.AddRange(await c.ListAsync("""
                    DELETE FROM renditions WHERE ($p IS NULL OR preset = $p) AND ($h IS NULL OR content_hash = $h) RETURNING key, ext, bytes
                    """, r => new StoredKey(r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken, ("$p", preset), ("$h", hash)).ConfigureAwait(false));
            }

            return removed;
        }, cancellationToken);

    public Task<IReadOnlySet<string>> ExistingKeysAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return database.ReadAsync<IReadOnlySet<string>>(async c =>
        {
            await using var cmd = c.Command("SELECT 1 FROM renditions WHERE key = $k", ("$k", string.Empty));
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
        }, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, RenditionInfo>> GetRenditionsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return database.ReadAsync<IReadOnlyDictionary<string, RenditionInfo>>(async c =>
        {
            var found = new Dictionary<string, RenditionInfo>(StringComparer.Ordinal);
            foreach (var row in await c.ListInAsync("SELECT key, ext, width, height, thumbhash, colour FROM renditions WHERE key IN ({0})", keys,
                r => new RenditionInfo(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3),
                    r.IsDBNull(4) || r.IsDBNull(5) ? null : new Core.Pipeline.Preview(r.GetString(4), r.GetString(5))), cancellationToken).ConfigureAwait(false))
            {
                found[row.Key] = row;
            }

            return found;
        }, cancellationToken);
    }

    public Task MarkLibraryAsync(string key, string library, CancellationToken cancellationToken) =>
        database.WriteStatementAsync(c => c.ExecuteAsync("INSERT OR IGNORE INTO rendition_libraries(key, library) VALUES ($k, $l)",
            cancellationToken, ("$k", key), ("$l", library)), cancellationToken);

    public Task<IReadOnlyList<string>> LibrariesOfAsync(string key, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(async c => await c.ListAsync("SELECT library FROM rendition_libraries WHERE key = $k",
            r => r.GetString(0), cancellationToken, ("$k", key)).ConfigureAwait(false), cancellationToken);
}
