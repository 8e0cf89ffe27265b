using Tessera.Core.Catalog;
using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

/// <summary>The catalog is not on PostgreSQL yet: every call says so, rather than a catalog silently going missing.
/// Run catalogs on a SQLite index for now.</summary>
public sealed class PostgresCatalogIndex : ICatalogIndex
{
    public Task<IReadOnlyList<CatalogEntity>> UpsertAsync(string catalog, IReadOnlyList<CatalogEntity> entities, DateTimeOffset seenAt, CancellationToken cancellationToken) =>
        throw Missing();

    public Task<IReadOnlyList<string>> SoftDeleteUnseenAsync(string catalog, string type, DateTimeOffset sweepStarted, DateTimeOffset now, CancellationToken cancellationToken) =>
        throw Missing();

    public Task<bool> SoftDeleteAsync(string catalog, string type, string id, DateTimeOffset now, CancellationToken cancellationToken) => throw Missing();

    public Task<long> CountLiveAsync(string catalog, string type, CancellationToken cancellationToken) => throw Missing();

    public Task<CatalogWatermark?> GetWatermarkAsync(string catalog, string type, CancellationToken cancellationToken) => throw Missing();

    public Task PutWatermarkAsync(CatalogWatermark watermark, CancellationToken cancellationToken) => throw Missing();

    public Task<CatalogPage> BrowseAsync(CatalogQuery query, CancellationToken cancellationToken) => throw Missing();

    public Task<CatalogEntity?> GetAsync(string catalog, string type, string id, string? user, CancellationToken cancellationToken) => throw Missing();

    public Task<CatalogStats> StatsAsync(string catalog, string? user, CancellationToken cancellationToken) => throw Missing();

    public Task PutRulesAsync(string catalog, string user, IReadOnlyList<CatalogRule> rules, CancellationToken cancellationToken) => throw Missing();

    public Task<IReadOnlyList<CatalogRule>> GetRulesAsync(string catalog, string user, CancellationToken cancellationToken) => throw Missing();

    internal static IndexException Missing() =>
        new(IndexFailure.Unavailable, "Catalogs are not on a PostgreSQL index yet: run catalogs on the SQLite index (the default)", null);
}
