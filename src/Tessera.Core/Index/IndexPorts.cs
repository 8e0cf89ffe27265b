namespace Tessera.Core.Index;

/// <summary>One open index as the ports Core uses, outside dependency injection: for tools and for the contract tests
/// every index implementation passes (tests/…/Index/Contracts). Disposing it closes the index.</summary>
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
    IJobIndex Jobs,
    ICatalogIndex Catalog,
    IDisposable Lifetime) : IDisposable
{
    public void Dispose() => Lifetime.Dispose();
}
