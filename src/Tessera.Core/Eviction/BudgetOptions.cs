namespace Tessera.Core.Eviction;

/// <summary>How much disk the renditions may use, and how much the disk must keep free.</summary>
public sealed class BudgetOptions
{
    /// <summary>Rendition bytes above which the least recently used are evicted (default 2 GiB).</summary>
    public long MaxBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Free space the data folder's disk must keep; below it the disk is "low": renditions are evicted, just
    /// enough to get it back, and health reports it (default 1 GiB; 0 turns both off).</summary>
    public long MinFreeDiskBytes { get; set; } = 1L * 1024 * 1024 * 1024;

    /// <summary>Low disk never evicts the renditions below this many bytes; null means <see cref="EvictionFloorShare"/>
    /// of <see cref="MaxBytes"/>. The byte budget itself is not bound by it.</summary>
    public long? EvictionFloorBytes { get; set; }

    /// <summary>The floor as a share of <see cref="MaxBytes"/> when no byte value is set (default 0.25).</summary>
    public double EvictionFloorShare { get; set; } = 0.25;

    public long FloorBytes => EvictionFloorBytes ?? (long)(MaxBytes * EvictionFloorShare);

    /// <summary>How often the server checks the budget (default 30 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Eviction goes down to this share of <see cref="MaxBytes"/>, so it does not run again at the next write.</summary>
    public double TargetRatio { get; set; } = 0.9;

    /// <summary>Free bytes on the disk holding a folder; replaceable so tests can simulate a full disk.</summary>
    public Func<string, long> FreeDiskBytes { get; set; } = static folder => new DriveInfo(folder).AvailableFreeSpace;

    public long TargetBytes => (long)(MaxBytes * TargetRatio);

    /// <summary>The disk holding <paramref name="folder"/> now, by the one definition of low disk: free space below
    /// <see cref="MinFreeDiskBytes"/> (or <paramref name="minFreeBytes"/>, e.g. `tessera health --min-free-mib`).</summary>
    public DiskState CheckDisk(string folder, long? minFreeBytes = null)
    {
        var min = minFreeBytes ?? MinFreeDiskBytes;
        var free = FreeDiskBytes(folder);
        return new DiskState(free, min, min > 0 && free < min, FloorBytes);
    }

    public void Validate()
    {
        if (MaxBytes <= 0 || MinFreeDiskBytes < 0 || Interval <= TimeSpan.Zero || TargetRatio is <= 0 or > 1)
        {
            throw new ArgumentException("the cache budget needs MaxBytes > 0, MinFreeDiskBytes >= 0, Interval > 0 and 0 < TargetRatio <= 1");
        }

        if (EvictionFloorBytes < 0 || EvictionFloorShare is < 0 or > 1)
        {
            throw new ArgumentException("Cache:EvictionFloor must be a size >= 0 or a share from 0% to 100% of Cache:MaxSize");
        }
    }
}
