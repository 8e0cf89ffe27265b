using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Stats;
using Tessera.Core.Storage;

namespace Tessera.Core.Eviction;

/// <summary>Keeps the renditions within the byte budget and the disk above its free-space floor by removing the
/// least recently used. Readers never wait on it: it shares no lock with the hit path.</summary>
public sealed class Evictor(
    IEvictionIndex index,
    IRenditionStore store,
    HotCache hot,
    AccessTracker access,
    RequestCounters counters,
    BudgetOptions budget,
    string dataRoot)
{
    private const int Batch = 256;
    private readonly RenditionRemover _remover = new(index, store, hot);
    private readonly LruWalk _walk = new(index, Batch);
    private int _running;

    /// <summary>Evicts down to the target when over budget or short of disk; returns what it removed.
    /// A second call while one runs returns at once with nothing evicted.</summary>
    public async Task<EvictionResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return EvictionResult.None;
        }

        try
        {
            // Recent hits must reach the index first, or LRU order would be stale.
            await access.FlushAsync(index, cancellationToken).ConfigureAwait(false);
            var need = await BytesToFreeAsync(cancellationToken).ConfigureAwait(false);
            return need > 0 ? await _walk.RunAsync(need, RemoveAsync, cancellationToken).ConfigureAwait(false) : EvictionResult.None;
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task<long> BytesToFreeAsync(CancellationToken cancellationToken)
    {
        var total = await index.TotalBytesAsync(cancellationToken).ConfigureAwait(false);
        var overBudget = total > budget.MaxBytes ? total - budget.TargetBytes : 0;
        var shortOfDisk = budget.MinFreeDiskBytes - budget.FreeDiskBytes(dataRoot);
        return Math.Max(overBudget, Math.Min(shortOfDisk, total));
    }

    private async Task<IReadOnlyList<StoredKey>> RemoveAsync(List<StoredKey> chosen, CancellationToken cancellationToken)
    {
        var removed = await _remover.RemoveAsync(chosen, cancellationToken).ConfigureAwait(false);
        foreach (var _ in removed)
        {
            counters.Increment(Counter.Evictions);
        }

        return removed;
    }
}

/// <summary>What one eviction run removed.</summary>
public sealed record EvictionResult(int Count, long Bytes)
{
    public static readonly EvictionResult None = new(0, 0);
}
