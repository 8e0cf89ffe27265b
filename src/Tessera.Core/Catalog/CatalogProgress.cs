using System.Collections.Concurrent;

namespace Tessera.Core.Catalog;

/// <summary>Where each type's sync in this process stands (entities stored of the upstream's total), for a progress bar
/// per type; the job's own counters count whole types.</summary>
public sealed class CatalogProgress
{
    private readonly ConcurrentDictionary<(string Catalog, string Type), CatalogTypeProgress> _types = new();

    public void Report(string catalog, CatalogTypeProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        _types[(catalog, progress.Type)] = progress;
    }

    /// <summary>The types of a catalog reported so far, in sync order.</summary>
    public IReadOnlyList<CatalogTypeProgress> Of(string catalog) =>
        [.. CatalogTypes.All.Select(t => _types.TryGetValue((catalog, t), out var p) ? p : null).OfType<CatalogTypeProgress>()];
}

/// <summary>One type's sync: entities stored so far, the upstream's total for the listing, and whether it is over.</summary>
public sealed record CatalogTypeProgress(string Type, CatalogSyncMode Mode, long Stored, long Total, bool Done);
