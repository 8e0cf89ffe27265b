using Microsoft.Data.Sqlite;
using Tessera.Core.Catalog;

namespace Tessera.Index.Sqlite;

/// <summary>Aggregations in SQL over the live entities a user may see: counts per type, the top tags, studios and
/// performers by their related live scenes, and the scenes' total duration and size.</summary>
internal static class SqliteCatalogStats
{
    private const int Top = 10;

    public static async Task<CatalogStats> RunAsync(SqliteConnection c, string catalog, string? user, CancellationToken cancellationToken)
    {
        var rules = user is null ? [] : await SqliteCatalogBrowse.RulesAsync(c, catalog, user, cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var type in CatalogTypes.All)
        {
            counts[type] = await c.ScalarAsync($"SELECT count(*) FROM catalog_entities e WHERE e.catalog = $c AND e.type = $t AND e.deleted_at IS NULL{CatalogVisibility.Predicate(type, rules)}",
                cancellationToken, ("$c", catalog), ("$t", type), ("$u", user)).ConfigureAwait(false);
        }

        var scenes = $"e.catalog = $c AND e.type = $t AND e.deleted_at IS NULL{CatalogVisibility.Predicate(CatalogTypes.Scenes, rules)}";
        var totals = await c.ListAsync($"SELECT coalesce(sum(e.duration), 0), coalesce(sum(e.size), 0) FROM catalog_entities e WHERE {scenes}",
            r => (Duration: r.GetDouble(0), Size: r.GetInt64(1)), cancellationToken, ("$c", catalog), ("$t", CatalogTypes.Scenes), ("$u", user)).ConfigureAwait(false);

        async Task<IReadOnlyList<CatalogTop>> TopAsync(string relType) => await c.ListAsync($"""
            SELECT o.id, o.title, count(*) AS n FROM catalog_entities e
            JOIN catalog_relations r ON r.catalog = e.catalog AND r.type = e.type AND r.id = e.id AND r.rel_type = $rt
            JOIN catalog_entities o ON o.catalog = r.catalog AND o.type = r.rel_type AND o.id = r.rel_id AND o.deleted_at IS NULL
            WHERE {scenes}{CatalogVisibility.Predicate(relType, rules, "o", "$rt")}
            GROUP BY o.id, o.title ORDER BY n DESC, o.id LIMIT {Top}
            """, r => new CatalogTop(r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken,
            ("$c", catalog), ("$t", CatalogTypes.Scenes), ("$u", user), ("$rt", relType)).ConfigureAwait(false);

        return new CatalogStats(counts, await TopAsync(CatalogTypes.Tags).ConfigureAwait(false), await TopAsync(CatalogTypes.Studios).ConfigureAwait(false),
            await TopAsync(CatalogTypes.Performers).ConfigureAwait(false), totals[0].Duration, totals[0].Size);
    }
}
