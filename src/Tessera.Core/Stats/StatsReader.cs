using Tessera.Core.Eviction;
using Tessera.Core.Index;
using Tessera.Core.Presets;

namespace Tessera.Core.Stats;

/// <summary>The figures of /api/stats, /metrics and `tessera status`: the index's kept totals (no scan), counts not yet
/// flushed, and the budget. Configured presets with nothing stored yet show as zero.</summary>
public sealed class StatsReader(IStatsIndex stats, INegativeIndex negatives, RequestCounters counters, BudgetOptions budget, PresetCatalog presets,
    TesseraMetrics metrics, Evictor evictor)
{
    public async Task<StatsReport> ReadAsync(CancellationToken cancellationToken)
    {
        var summary = await stats.SummarizeAsync(cancellationToken).ConfigureAwait(false);
        var byPreset = new Dictionary<string, PresetUsage>(summary.ByPreset, StringComparer.Ordinal);
        foreach (var preset in presets.All)
        {
            byPreset.TryAdd(preset.Name, new PresetUsage(0, 0));
        }

        var report = StatsReport.From(summary with { ByPreset = byPreset }, counters.Pending(), budget.MaxBytes) with
        {
            NegativesByReason = await negatives.CountNegativesAsync(cancellationToken).ConfigureAwait(false),
            Disk = evictor.Disk(),
            Generated = metrics.GeneratedCount,
        };
        metrics.Observe(report);
        return report;
    }
}
