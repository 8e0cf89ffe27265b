namespace Tessera.Core.Index;

/// <summary>Figures for status, /api/stats, /metrics and the health checks. Summaries come from totals the index
/// keeps as it changes, so they cost the same at a thousand renditions as at a million.</summary>
public interface IStatsIndex
{
    /// <summary>Adds request counters (hits, misses, …) persisted across restarts.</summary>
    Task AddCountersAsync(IReadOnlyDictionary<string, long> deltas, CancellationToken cancellationToken);

    Task<IndexSummary> SummarizeAsync(CancellationToken cancellationToken);

    /// <summary>The sources whose renditions took longest to generate, slowest first. A report, not a request path.</summary>
    Task<IReadOnlyList<SlowSource>> SlowestSourcesAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>Index-wide figures for /api/stats and `tessera status`. Percentiles come from
/// <see cref="GenerationHistogram"/> and are as exact as its buckets.</summary>
public sealed record IndexSummary(
    long Items,
    long Renditions,
    long Bytes,
    IReadOnlyDictionary<string, long> Counters,
    IReadOnlyDictionary<string, PresetUsage> ByPreset,
    double? GenerationP50Ms,
    double? GenerationP95Ms,
    double? GenerationP99Ms);

public sealed record PresetUsage(long Renditions, long Bytes);

/// <summary>A source and how long one of its renditions took to generate.</summary>
public sealed record SlowSource(string Source, string? Preset, double GenerationMs);
