using Microsoft.Extensions.Logging;
using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Stats;
using Tessera.Core.Storage;

namespace Tessera.Core.Eviction;

/// <summary>Keeps the renditions within the byte budget and the disk above its minimum free space by removing the
/// least recently used. Low disk evicts only the shortfall, and never below the floor: when that cannot restore the
/// free space (something else fills the disk), it stops there and reports it. Readers never wait on it: it shares no
/// lock with the hit path.</summary>
public sealed partial class Evictor(
    IEvictionIndex index,
    IRenditionStore store,
    HotCache hot,
    AccessTracker access,
    RequestCounters counters,
    BudgetOptions budget,
    string dataRoot,
    ILogger<Evictor>? logger = null,
    TimeProvider? clock = null)
{
    private const int Batch = 256;

    /// <summary>How often "stopped at the floor" is logged while it lasts.</summary>
    public static readonly TimeSpan FloorLogInterval = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private DateTimeOffset _floorLogged = DateTimeOffset.MinValue;
    private volatile DiskState? _lastDisk;
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
            var (need, most) = await BytesToFreeAsync(cancellationToken).ConfigureAwait(false);
            return need > 0 ? await _walk.RunAsync(need, RemoveAsync, cancellationToken, most).ConfigureAwait(false) : EvictionResult.None;
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>The disk now, with whether the last run stopped at the floor.</summary>
    public DiskState Disk() => budget.CheckDisk(dataRoot) with { AtFloor = _lastDisk?.AtFloor == true };

    /// <summary>What to free, and the most that may go: over budget, the budget decides alone; for low disk, only the
    /// shortfall, and never so much that less than the floor is left.</summary>
    private async Task<(long Need, long Most)> BytesToFreeAsync(CancellationToken cancellationToken)
    {
        var total = await index.TotalBytesAsync(cancellationToken).ConfigureAwait(false);
        var overBudget = total > budget.MaxBytes ? total - budget.TargetBytes : 0;
        var disk = budget.CheckDisk(dataRoot);
        var evictable = Math.Max(0, total - budget.FloorBytes);
        var forDisk = Math.Min(disk.ShortfallBytes, evictable);
        disk = disk with { AtFloor = disk.ShortfallBytes > evictable };
        _lastDisk = disk;
        if (disk.AtFloor && _clock.GetUtcNow() - _floorLogged >= FloorLogInterval && logger is not null)
        {
            _floorLogged = _clock.GetUtcNow();
            AtFloorLog(logger, disk.FreeBytes, disk.MinFreeBytes, total - forDisk, disk.FloorBytes);
        }

        return overBudget >= forDisk ? (overBudget, long.MaxValue) : (forDisk, evictable);
    }

    [LoggerMessage(EventId = 1041, Level = LogLevel.Warning, Message = "Low disk: {Free} bytes free of the {MinFree} wanted, and evicting "
        + "renditions cannot restore it; they stay at {Kept} bytes (floor {Floor}, Cache:EvictionFloor). Something else is filling the disk")]
    private static partial void AtFloorLog(ILogger logger, long free, long minFree, long kept, long floor);

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
