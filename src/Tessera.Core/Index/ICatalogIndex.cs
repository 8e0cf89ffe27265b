using Tessera.Core.Catalog;

namespace Tessera.Core.Index;

/// <summary>The catalog cache: upstream entities with the columns browsing needs, relations, full-text search, soft
/// deletes, per-type watermarks and per-user rules. Every query is SQL over indexes (never the catalog in memory) and
/// nothing is SQLite-only in its meaning (PostgreSQL implements the same port with the replicas).</summary>
public interface ICatalogIndex
{
    /// <summary>Inserts or updates entities (idempotent: the same page twice is the same state), replaces their relations
    /// and images, clears <c>deleted_at</c> (an entity that reappears comes back), sets <c>synced_at</c> = <paramref name="seenAt"/>.
    /// Returns the entities whose image URLs changed (their cached images must be purged).</summary>
    Task<IReadOnlyList<CatalogEntity>> UpsertAsync(string catalog, IReadOnlyList<CatalogEntity> entities, DateTimeOffset seenAt, CancellationToken cancellationToken);

    /// <summary>Soft-deletes the live entities of a type not seen since <paramref name="sweepStarted"/> (an id sweep saw
    /// every page and its count matched — the caller checks); returns their ids.</summary>
    Task<IReadOnlyList<string>> SoftDeleteUnseenAsync(string catalog, string type, DateTimeOffset sweepStarted, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Soft-deletes one entity (a webhook's destroy); false when it was not live.</summary>
    Task<bool> SoftDeleteAsync(string catalog, string type, string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>How many live (not soft-deleted) entities of a type there are.</summary>
    Task<long> CountLiveAsync(string catalog, string type, CancellationToken cancellationToken);

    Task<CatalogWatermark?> GetWatermarkAsync(string catalog, string type, CancellationToken cancellationToken);

    Task PutWatermarkAsync(CatalogWatermark watermark, CancellationToken cancellationToken);

    /// <summary>A page of live entities matching the query, as its user (if any) may see them, with the total count.</summary>
    Task<CatalogPage> BrowseAsync(CatalogQuery query, CancellationToken cancellationToken);

    /// <summary>One live entity, or null (also when the user may not see it).</summary>
    Task<CatalogEntity?> GetAsync(string catalog, string type, string id, string? user, CancellationToken cancellationToken);

    Task<CatalogStats> StatsAsync(string catalog, string? user, CancellationToken cancellationToken);

    /// <summary>Replaces a user's rules (an empty list removes them).</summary>
    Task PutRulesAsync(string catalog, string user, IReadOnlyList<CatalogRule> rules, CancellationToken cancellationToken);

    Task<IReadOnlyList<CatalogRule>> GetRulesAsync(string catalog, string user, CancellationToken cancellationToken);
}
