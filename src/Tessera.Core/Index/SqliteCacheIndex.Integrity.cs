namespace Tessera.Core.Index;

public sealed partial class SqliteCacheIndex
{
    /// <summary>Adds the checksum column to indexes made before it existed (a migration, not a rebuild).</summary>
    private static void MigrateIntegrity(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM pragma_table_info('renditions') WHERE name = 'checksum'";
        if (Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            Execute(connection, "ALTER TABLE renditions ADD COLUMN checksum TEXT");
        }
    }

    /// <summary>The recorded length and checksum of a rendition, or null when it has no row.</summary>
    public async Task<RenditionCheck?> GetRenditionCheckAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = Command(connection, "SELECT bytes, checksum FROM renditions WHERE key = $k", ("$k", key));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new RenditionCheck(key, string.Empty, reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1))
            : null;
    }

    /// <summary>Every rendition row with its recorded length and checksum, for `tessera verify`.</summary>
    public async IAsyncEnumerable<RenditionCheck> RenditionChecksAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = Command(connection, "SELECT key, ext, bytes, checksum FROM renditions ORDER BY key");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new RenditionCheck(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        }
    }

    /// <summary>Deletes one rendition row.</summary>
    public Task DeleteRenditionRowAsync(string key, CancellationToken cancellationToken) =>
        WriteAsync(connection => Command(connection, "DELETE FROM renditions WHERE key = $k", ("$k", key)), cancellationToken);

    /// <summary>SQLite's own consistency check: "ok", or the problems it found, one per line.</summary>
    public async Task<string> IntegrityCheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = Command(connection, "PRAGMA integrity_check");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var lines = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    /// <summary>Every rendition row's key and extension, for checks against the files.</summary>
    public async Task<IReadOnlyList<(string Key, string Extension)>> RenditionKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = Command(connection, "SELECT key, ext FROM renditions");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add((reader.GetString(0), reader.GetString(1)));
        }

        return keys;
    }
}

/// <summary>What the index recorded about a rendition: length and SHA-256 (null for rows rebuilt from files).</summary>
public sealed record RenditionCheck(string Key, string Extension, long Bytes, string? Checksum);
