namespace Tessera.Core.Eviction;

/// <summary>How much disk the renditions may use, and how much the disk must keep free.</summary>
public sealed class BudgetOptions
{
    /// <summary>Rendition bytes above which the least recently used are evicted (default 2 GiB).</summary>
    public long MaxBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Free space the data folder's disk must keep; below it, renditions are evicted (default 1 GiB).</summary>
    public long MinFreeDiskBytes { get; set; } = 1L * 1024 * 1024 * 1024;

    /// <summary>How often the server checks the budget (default 30 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Eviction goes down to this share of <see cref="MaxBytes"/>, so it does not run again at the next write.</summary>
    public double TargetRatio { get; set; } = 0.9;

    /// <summary>Free bytes on the disk holding a folder; replaceable so tests can simulate a full disk.</summary>
    public Func<string, long> FreeDiskBytes { get; set; } = static folder => new DriveInfo(folder).AvailableFreeSpace;

    public long TargetBytes => (long)(MaxBytes * TargetRatio);

    public void Validate()
    {
        if (MaxBytes <= 0 || MinFreeDiskBytes < 0 || Interval <= TimeSpan.Zero || TargetRatio is <= 0 or > 1)
        {
            throw new ArgumentException("the cache budget needs MaxBytes > 0, MinFreeDiskBytes >= 0, Interval > 0 and 0 < TargetRatio <= 1");
        }
    }
}
