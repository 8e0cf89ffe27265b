namespace Tessera.Core.Index;

/// <summary>One open index as the ports Core uses. A host builds it from an index implementation (SQLite now) and
/// hands it to <see cref="TesseraCache.Open"/>; disposing it closes the index.</summary>
public sealed record IndexPorts(
    IFingerprintIndex Fingerprints,
    IRenditionIndex Renditions,
    IEvictionIndex Eviction,
    INegativeIndex Negatives,
    IDerivedIndex Derived,
    IItemIndex Items,
    IStatsIndex Stats,
    IIndexMaintenance Maintenance,
    ICleanupIndex Cleanup,
    IDisposable Lifetime) : IDisposable
{
    public void Dispose() => Lifetime.Dispose();
}
