using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

/// <summary>Stats from the totals and histogram the triggers keep (migration 2): a summary reads a few small tables,
/// however many renditions there are. Counters are shared by every replica: each adds its own deltas.</summary>
public sealed class PostgresStatsIndex(PostgresDatabase database) : IStatsIndex
{
    public Task AddCountersAsync(IReadOnlyDictionary<string, long> deltas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        if (deltas.Count == 0)
        {
            return Task.CompletedTask;
        }

        // One statement, names in order: replicas adding at once lock the counter rows alike.
        var ordered = deltas.OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
        return database.StatementAsync(c => c.ExecuteAsync("""
            INSERT INTO counters AS t(name, value) SELECT n, d FROM unnest(@n, @d) AS x(n, d)
            ON CONFLICT(name) DO UPDATE SET value = t.value + excluded.value
            """, cancellationToken, ("n", ordered.Select(d => d.Key).ToArray()), ("d", ordered.Select(d => d.Value).ToArray())), cancellationToken);
    }

    public Task<IndexSummary> SummarizeAsync(CancellationToken cancellationToken) =>
        database.SnapshotAsync(async c =>
        {
            var items = await c.ScalarAsync("SELECT coalesce(sum(value), 0) FROM row_totals WHERE name = 'fingerprints'", cancellationToken).ConfigureAwait(false);
            var presets = await c.ListAsync("SELECT preset, renditions, stored, bytes FROM rendition_totals WHERE stored > 0",
                r => (Preset: r.GetString(0), Renditions: r.GetInt64(1), Stored: r.GetInt64(2), Bytes: r.GetInt64(3)), cancellationToken).ConfigureAwait(false);
            var counters = await c.ListAsync("SELECT name, value FROM counters", r => (Name: r.GetString(0), Value: r.GetInt64(1)), cancellationToken)
                .ConfigureAwait(false);
            var histogram = await c.ListAsync("SELECT bucket, renditions FROM generation_histogram WHERE renditions > 0",
                r => (Bucket: r.GetInt32(0), Count: r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
            var buckets = histogram.ToDictionary(h => h.Bucket, h => h.Count);
            return new IndexSummary(items, presets.Sum(p => p.Renditions), presets.Sum(p => p.Bytes),
                counters.ToDictionary(x => x.Name, x => x.Value, StringComparer.Ordinal),
                presets.ToDictionary(p => p.Preset, p => new PresetUsage(p.Stored, p.Bytes), StringComparer.Ordinal),
                GenerationHistogram.Percentile(buckets, 0.50), GenerationHistogram.Percentile(buckets, 0.95), GenerationHistogram.Percentile(buckets, 0.99));
        }, cancellationToken);

    /// <summary>The top of the gen_ms index, then each one's source path by the fingerprints' content index.</summary>
    public async Task<IReadOnlyList<SlowSource>> SlowestSourcesAsync(int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("""
            SELECT coalesce((SELECT f.path FROM fingerprints f WHERE f.content_hash = r.content_hash LIMIT 1), r.content_hash, r.key), r.preset, r.gen_ms
            FROM renditions r WHERE r.gen_ms IS NOT NULL ORDER BY r.gen_ms DESC, r.key LIMIT @n
            """, r => new SlowSource(r.GetString(0), r.NullableString(1), r.GetDouble(2)), cancellationToken, ("n", Math.Max(0, limit))), cancellationToken)
            .ConfigureAwait(false);
}
