namespace Tessera.Core.Index;

public sealed partial class SqliteCacheIndex
{
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
