using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

public sealed class PostgresFingerprintIndex(PostgresDatabase database) : IFingerprintIndex
{
    public Task<Fingerprint?> GetFingerprintAsync(string path, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.FirstAsync("SELECT size, mtime, content_hash, ctime, inode FROM fingerprints WHERE path = @p",
            r => new Fingerprint(path, r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.NullableInt64(3), r.NullableInt64(4)), cancellationToken, ("p", path)),
            cancellationToken);

    public Task<IReadOnlyDictionary<string, Fingerprint>> GetFingerprintsAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return database.ReadAsync<IReadOnlyDictionary<string, Fingerprint>>(async c =>
            (await c.ListAsync("SELECT path, size, mtime, content_hash, ctime, inode FROM fingerprints WHERE path = ANY(@in)",
                r => new Fingerprint(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), r.NullableInt64(4), r.NullableInt64(5)), cancellationToken,
                ("in", PostgresCommands.Array(paths))).ConfigureAwait(false)).ToDictionary(f => f.Path, StringComparer.Ordinal), cancellationToken);
    }

    public Task PutFingerprintAsync(Fingerprint fingerprint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        return database.StatementAsync(c => c.ExecuteAsync("""
            INSERT INTO fingerprints(path, size, mtime, content_hash, updated_at, ctime, inode) VALUES (@p, @s, @m, @h, @now, @c, @i)
            ON CONFLICT(path) DO UPDATE SET size = @s, mtime = @m, content_hash = @h, updated_at = @now, ctime = @c, inode = @i
            """, cancellationToken, ("p", fingerprint.Path), ("s", fingerprint.Size), ("m", fingerprint.MtimeTicks),
            ("h", fingerprint.ContentHash), ("now", PostgresCommands.Now()), ("c", fingerprint.CtimeNanoseconds), ("i", fingerprint.Inode)), cancellationToken);
    }

    public Task ForgetFingerprintAsync(string path, CancellationToken cancellationToken) =>
        database.StatementAsync(c => c.ExecuteAsync("DELETE FROM fingerprints WHERE path = @p", cancellationToken, ("p", path)), cancellationToken);

    public async Task<IReadOnlyList<string>> ContentHashesUnderAsync(string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var prefix = folder.TrimEnd('/') + "/";
        return await database.ReadAsync(c => c.ListAsync("SELECT DISTINCT content_hash FROM fingerprints WHERE starts_with(path, @p)",
            r => r.GetString(0), cancellationToken, ("p", prefix)), cancellationToken).ConfigureAwait(false);
    }
}
