using Tessera.Core.Index;
using Tessera.Core.Storage;

namespace Tessera.Index.Sqlite;

public sealed class SqliteIndexMaintenance(SqliteDatabase database) : IIndexMaintenance
{
    public bool CreatedNew => database.CreatedNew;

    public string? Damage => database.Damage;

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
                VALUES ($k, $e, $b, $h, $p, $w, $ht, $g, $t, $t, $c)
                ON CONFLICT(key) DO UPDATE SET ext = $e, bytes = $b, content_hash = $h, preset = $p, width = $w, height = $ht, gen_ms = $g,
                    created_at = $t, last_access = $t, checksum = $c
                """, ("$k", ""), ("$e", ""), ("$b", 0L), ("$h", null), ("$p", null), ("$w", 0), ("$ht", 0), ("$g", null), ("$t", 0L), ("$c", null));
            foreach (var file in stored)
            {
                keep.TryGetValue(file.Key, out var known);
                Set(insert, "$k", file.Key);
                Set(insert, "$e", file.Extension);
                Set(insert, "$b", file.Length);
                Set(insert, "$h", known.Hash ?? (file.Extension == OriginalStore.Extension ? file.Key : null));
                Set(insert, "$p", known.Preset);
                Set(insert, "$w", known.W);
                Set(insert, "$ht", known.H);
                Set(insert, "$g", known.Ms);
                Set(insert, "$t", file.WrittenAt.ToUnixTimeSeconds());
                Set(insert, "$c", known.Sum);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                count++;
            }

            return count;
        }, cancellationToken);
    }

    public Task RecreateAsync(string reason, CancellationToken cancellationToken) => database.RecreateAsync(reason, database.Generation);

    public Task<string> IntegrityCheckAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async c => string.Join('\n', await c.ListAsync("PRAGMA integrity_check", r => r.GetString(0), cancellationToken).ConfigureAwait(false)),
            cancellationToken);

    public IAsyncEnumerable<RenditionCheck> RenditionChecksAsync(CancellationToken cancellationToken) =>
        database.StreamAsync("SELECT key, ext, bytes, checksum FROM renditions ORDER BY key",
            r => new RenditionCheck(r.GetString(0), r.GetString(1), r.GetInt64(2), r.NullableString(3)), cancellationToken);

    public Task DeleteRenditionRowAsync(string key, CancellationToken cancellationToken) =>
        database.WriteStatementAsync(c => c.ExecuteAsync("DELETE FROM renditions WHERE key = $k", cancellationToken, ("$k", key)), cancellationToken);

    public async Task<IReadOnlyList<(string Key, string Extension)>> RenditionKeysAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("SELECT key, ext FROM renditions", r => (r.GetString(0), r.GetString(1)), cancellationToken),
            cancellationToken).ConfigureAwait(false);

    private static void Set(Microsoft.Data.Sqlite.SqliteCommand cmd, string name, object? value) => cmd.Parameters[name].Value = value ?? DBNull.Value;
}
