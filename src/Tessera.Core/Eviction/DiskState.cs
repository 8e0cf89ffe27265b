namespace Tessera.Core.Eviction;

/// <summary>The data disk as eviction, health and stats see it. <see cref="Low"/> is the one definition of "low disk":
/// free space below Cache:MinFreeDisk. <see cref="AtFloor"/>: the last eviction stopped at Cache:EvictionFloor because
/// evicting more could not restore the free space (something else is filling the disk).</summary>
public sealed record DiskState(long FreeBytes, long MinFreeBytes, bool Low, long FloorBytes, bool AtFloor = false)
{
    /// <summary>Bytes missing to reach the minimum free space; 0 when there is enough.</summary>
    public long ShortfallBytes => Low ? MinFreeBytes - FreeBytes : 0;
}
