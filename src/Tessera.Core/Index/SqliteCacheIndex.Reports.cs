namespace Tessera.Core.Index;

public sealed partial class SqliteCacheIndex
{
    /// <summary>The sources whose renditions took longest to generate, slowest first.</summary>
    public async Task<IReadOnlyList<SlowSource>> SlowestSourcesAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = Command(connection, """
            SELECT coalesce(f.path, r.content_hash, r.key), r.preset, r.gen_ms
            FROM renditions r LEFT JOIN fingerprints f ON f.content_hash = r.content_hash
            WHERE r.gen_ms IS NOT NULL
            GROUP BY r.key ORDER BY r.gen_ms DESC LIMIT $n
            """, ("$n", limit));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<SlowSource>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new SlowSource(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetDouble(2)));
        }

        return rows;
    }
}

/// <summary>A source and how long one of its renditions took to generate.</summary>
public sealed record SlowSource(string Source, string? Preset, double GenerationMs);
