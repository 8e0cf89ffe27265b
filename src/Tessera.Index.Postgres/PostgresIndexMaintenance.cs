using Npgsql;
using Tessera.Core.Index;
using Tessera.Core.Storage;

namespace Tessera.Index.Postgres;

/// <summary>Keeping a shared index true to the files. PostgreSQL keeps its own pages sound (WAL, checksums, its
/// backups), so nothing is set aside here: <see cref="Damage"/> is always null and the integrity check is Tessera's
/// own, the kept totals against the rows they count.</summary>
public sealed class PostgresIndexMaintenance(PostgresDatabase database) : IIndexMaintenance
{
    public bool CreatedNew => database.CreatedNew;

    public string? Damage => null;

    /// <summary>Through DELETE and INSERT, so the triggers keep the totals and histogram right.</summary>
    public Task<int> RebuildRenditionsAsync(IEnumerable<StoredRendition> stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return database.WriteAsync(async c =>
        {
            var keep = (await c.ListAsync("SELECT key, content_hash, preset, width, height, gen_ms, checksum FROM renditions",
                r => (Key: r.GetString(0), Known: (Hash: r.NullableString(1), Preset: r.NullableString(2), W: r.IsDBNull(3) ? 0 : r.GetInt32(3),
                    H: r.IsDBNull(4) ? 0 : r.GetInt32(4), Ms: r.IsDBNull(5) ? (double?)null : r.GetDouble(5), Sum: r.NullableString(6))),
                cancellationToken).ConfigureAwait(false)).ToDictionary(k => k.Key, k => k.Known, StringComparer.Ordinal);
            await c.ExecuteAsync("DELETE FROM renditions", cancellationToken).ConfigureAwait(false);

            var count = 0;
            await using var insert = c.Command("""
                INSERT INTO renditions(key, ext, bytes, content_hash, preset, width, height, gen_ms, created_at, last_access, checksum)
                VALUES (@k, @e, @b, @h, @p, @w, @ht, @g, @t, @t, @c)
                ON CONFLICT(key) DO UPDATE SET ext = @e, bytes = @b, content_hash = @h, preset = @p, width = @w, height = @ht, gen_ms = @g,
                    created_at = @t, last_access = @t, checksum = @c
                """, ("k", ""), ("e", ""), ("b", 0L), ("h", ""), ("p", ""), ("w", 0), ("ht", 0), ("g", 0.0), ("t", 0L), ("c", ""));
            foreach (var file in stored)
            {
                keep.TryGetValue(file.Key, out var known);
                Set(insert, "k", file.Key);
                Set(insert, "e", file.Extension);
                Set(insert, "b", file.Length);
                Set(insert, "h", known.Hash ?? (file.Extension == OriginalStore.Extension ? file.Key : null));
                Set(insert, "p", known.Preset);
                Set(insert, "w", known.W);
                Set(insert, "ht", known.H);
                Set(insert, "g", known.Ms);
                Set(insert, "t", file.WrittenAt.ToUnixTimeSeconds());
                Set(insert, "c", known.Sum);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                count++;
            }

            return count;
        }, cancellationToken);
    }

    public Task RecreateAsync(string reason, CancellationToken cancellationToken) =>
        throw new IndexException(IndexFailure.Failed,
            $"A PostgreSQL index is never set aside by Tessera ({reason}): repair or restore the database with PostgreSQL's own tools (pg_dump, pg_restore)", null);

    /// <summary>"ok" when the totals the triggers keep match the rows; otherwise one line per preset that disagrees.</summary>
    public Task<string> IntegrityCheckAsync(CancellationToken cancellationToken) =>
        database.SnapshotAsync(async c =>
        {
            var wrong = await c.ListAsync("""
                SELECT coalesce(r.preset, t.preset), coalesce(r.stored, 0), coalesce(t.stored, 0), coalesce(r.bytes, 0), coalesce(t.bytes, 0)
                FROM (SELECT coalesce(preset, '(rebuilt)') AS preset, count(*) AS stored, sum(bytes)::bigint AS bytes FROM renditions GROUP BY 1) r
                FULL JOIN (SELECT * FROM rendition_totals WHERE stored <> 0 OR bytes <> 0) t ON t.preset = r.preset
                WHERE r.preset IS NULL OR t.preset IS NULL OR r.stored <> t.stored OR r.bytes <> t.bytes
                ORDER BY 1
                """, r => $"totals of preset {r.GetString(0)}: {r.GetInt64(1)} rows of {r.GetInt64(3)} bytes, kept as {r.GetInt64(2)} of {r.GetInt64(4)}",
                cancellationToken).ConfigureAwait(false);
            return wrong.Count == 0 ? "ok" : string.Join('\n', wrong);
        }, cancellationToken);

    public IAsyncEnumerable<RenditionCheck> RenditionChecksAsync(CancellationToken cancellationToken) =>
        database.StreamAsync("SELECT key, ext, bytes, checksum FROM renditions ORDER BY key",
            r => new RenditionCheck(r.GetString(0), r.GetString(1), r.GetInt64(2), r.NullableString(3)), cancellationToken);

    public Task DeleteRenditionRowAsync(string key, CancellationToken cancellationToken) =>
        database.StatementAsync(c => c.ExecuteAsync("DELETE FROM renditions WHERE key = @k", cancellationToken, ("k", key)), cancellationToken);

    public async Task<IReadOnlyList<(string Key, string Extension)>> RenditionKeysAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("SELECT key, ext FROM renditions ORDER BY key", r => (r.GetString(0), r.GetString(1)), cancellationToken),
            cancellationToken).ConfigureAwait(false);

    private static void Set(NpgsqlCommand cmd, string name, object? value) => cmd.Parameters[name].Value = value ?? DBNull.Value;
}
