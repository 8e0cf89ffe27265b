using Tessera.Core.Index;

namespace Tessera.Core.Stats;

/// <summary>The figures of /api/stats and `tessera status`.</summary>
public sealed record StatsReport(
    long Items,
    long Renditions,
    long Bytes,
    long Hits,
    long Misses,
    double? HitRatio,
    long Placeholders,
    long NotModified,
    long Rejected,
    long Warmed,
    GenerationTimes Generation,
    IReadOnlyDictionary<string, PresetUsage> ByPreset,
    long Evictions,
    long BudgetBytes,
    double? BudgetUsedRatio)
{
    /// <summary>Negative entries by reason, keyed by its text (<see cref="Pipeline.FailureReasons.ToText"/>).</summary>
    public IReadOnlyDictionary<string, long> NegativesByReason { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Requests answered from the negative cache (also counted as placeholders).</summary>
    public long NegativeHits { get; init; }

    /// <summary>Renditions this process rendered itself since it started (<see cref="TesseraMetrics.GeneratedCount"/>); the
    /// other figures are the index's, shared by replicas, so a fleet's generations are the sum of this over them.</summary>
    public long Generated { get; init; }

    /// <summary>Requests that failed unexpectedly and got a placeholder.</summary>
    public long Errors { get; init; }

    /// <summary>Renditions larger than their original or Encoding:MaxRenditionSize, replaced or refused.</summary>
    public long Oversized { get; init; }

    /// <summary>The data disk: free bytes, the minimum (Cache:MinFreeDisk), whether it is low, and whether eviction
    /// stopped at the floor (Cache:EvictionFloor) because something else fills the disk.</summary>
    public Eviction.DiskState? Disk { get; init; }

    /// <param name="budgetBytes">The rendition byte budget; 0 when unknown (no used ratio then).</param>
    public static StatsReport From(IndexSummary summary, IReadOnlyDictionary<string, long>? pending = null, long budgetBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(summary);
        long Get(Counter c)
        {
            var name = RequestCounters.Name(c);
            return summary.Counters.GetValueOrDefault(name) + (pending?.GetValueOrDefault(name) ?? 0);
        }

        var hits = Get(Counter.Hits);
        var misses = Get(Counter.Misses);
        return new StatsReport(summary.Items, summary.Renditions, summary.Bytes, hits, misses,
            hits + misses == 0 ? null : Math.Round((double)hits / (hits + misses), 4),
            Get(Counter.Placeholders), Get(Counter.NotModified), Get(Counter.Rejected), Get(Counter.Warmed),
            new GenerationTimes(summary.GenerationP50Ms, summary.GenerationP95Ms, summary.GenerationP99Ms),
            summary.ByPreset,
            Get(Counter.Evictions),
            budgetBytes,
            budgetBytes > 0 ? Math.Round((double)summary.Bytes / budgetBytes, 4) : null)
        {
            NegativeHits = Get(Counter.Negatives),
            Errors = Get(Counter.Errors),
            Oversized = Get(Counter.Oversized),
        };
    }
}

/// <summary>Generation time percentiles over stored renditions, in milliseconds.</summary>
public sealed record GenerationTimes(double? P50Ms, double? P95Ms, double? P99Ms);
