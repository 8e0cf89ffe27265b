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
            return need > 0 ? await EvictAsync(need, cancellationToken).ConfigureAwait(false) : EvictionResult.None;
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

    private async Task<EvictionResult> EvictAsync(long need, CancellationToken cancellationToken)
    {
        long freed = 0;
        var count = 0;
        while (freed < need)
        {
            var oldest = await index.OldestAsync(Batch, cancellationToken).ConfigureAwait(false);
            if (oldest.Count == 0)
            {
                break;
            }

            var chosen = new Dictionary<string, EvictionCandidate>(StringComparer.Ordinal);
            var planned = freed;
            foreach (var c in oldest)
            {
                if (planned >= need)
                {
                    break;
                }

                chosen[c.Key] = c;
                planned += c.Bytes;
            }

            // Row first, then file: the index never points at a missing file. Only rows this run actually
            // deleted lose their file, so a concurrent eviction (e.g. a warm in another process) cannot double-count.
            var deleted = await index.DeleteRenditionsAsync(chosen.Keys, cancellationToken).ConfigureAwait(false);
            foreach (var key in deleted)
            {
                var c = chosen[key];
                // On Linux, unlinking a file that a reader has open is safe: the inode lives until the reader
                // closes it, so a response already being read is served whole. Later reads see a miss.
                store.Delete(c.Key, c.Extension);
                hot.Remove(c.Key);
                counters.Increment(Counter.Evictions);
                freed += c.Bytes;
                count++;
            }
        }

        return new EvictionResult(count, freed);
    }
}

/// <summary>What one eviction run removed.</summary>
public sealed record EvictionResult(int Count, long Bytes)
{
    public static readonly EvictionResult None = new(0, 0);
}
