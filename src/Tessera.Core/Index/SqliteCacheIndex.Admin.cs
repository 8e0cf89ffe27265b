namespace Tessera.Core.Index;

public sealed partial class SqliteCacheIndex
{
    /// <summary>Deletes the rendition rows of one preset, of some source contents, or (both null) all of them,
    /// and returns what was deleted so the caller can remove the files after the rows.</summary>
    public async Task<IReadOnlyList<StoredKey>> RemoveRenditionsAsync(string? preset, IReadOnlyCollection<string>? contentHashes, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = Open();
            await using var tx = connection.BeginTransaction(deferred: false);
            var removed = new List<StoredKey>();
            foreach (var hash in contentHashes ?? [null!])
            {
                await using var select = Command(connection, """
                    SELECT key, ext, bytes FROM renditions
                    WHERE ($p IS NULL OR preset = $p) AND ($h IS NULL OR content_hash = $h)
                    """, ("$p", preset), ("$h", hash));
                select.Transaction = tx;
                await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        removed.Add(new StoredKey(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
                    }
                }

                await using var delete = Command(connection, """
                    DELETE FROM renditions WHERE ($p IS NULL OR preset = $p) AND ($h IS NULL OR content_hash = $h)
                    """, ("$p", preset), ("$h", hash));
                delete.Transaction = tx;
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return removed;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Content hashes of the source files under a folder (a library), from their fingerprints.</summary>
    public async Task<IReadOnlyList<string>> ContentHashesUnderAsync(string folder, CancellationToken cancellationToken)
    {
        var prefix = folder.TrimEnd('/') + "/";
        await using var connection = Open();
        await using var cmd = Command(connection, "SELECT DISTINCT content_hash FROM fingerprints WHERE substr(path, 1, length($p)) = $p", ("$p", prefix));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var hashes = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            hashes.Add(reader.GetString(0));
        }

        return hashes;
    }

    /// <summary>Forgets a source file's fingerprint, so its content is hashed again on the next request.</summary>
    public Task ForgetFingerprintAsync(string path, CancellationToken cancellationToken) =>
        WriteAsync(connection => Command(connection, "DELETE FROM fingerprints WHERE path = $p", ("$p", path)), cancellationToken);
}

/// <summary>A rendition removed from the index: its file is the caller's to delete.</summary>
public sealed record StoredKey(string Key, string Extension, long Bytes);
