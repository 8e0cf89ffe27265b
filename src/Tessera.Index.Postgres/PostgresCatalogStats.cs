using System.Text;
using Npgsql;
using Tessera.Core.Catalog;

namespace Tessera.Index.Postgres;

/// <summary>Aggregations over the live entities a user may see, as on SQLite: counts per type, the top tags, studios and
/// performers by their related visible scenes (a related entity counts only while it is live and visible itself), and the
/// visible scenes' total duration and size. One snapshot, one round trip: every figure is a statement of one command.</summary>
internal static class PostgresCatalogStats
{
    private const int Top = 10;
    private const string Scenes = "e.catalog = @c AND e.type = 'scenes' AND e.deleted_at IS NULL";

    public static async Task<CatalogStats> RunAsync(NpgsqlConnection c, string catalog, string? user, CancellationToken cancellationToken)
    {
        var rules = await PostgresCatalogVisibility.RulesAsync(c, catalog, user, cancellationToken).ConfigureAwait(false);
        var scenes = PostgresCatalogVisibility.Predicate(CatalogTypes.Scenes, rules);
        var sql = new StringBuilder();
        // Types come from the known list, so they are written into the SQL as literals.
        sql.AppendJoin(" UNION ALL ", CatalogTypes.All.Select(t =>
            $"SELECT '{t}', count(*) FROM catalog_entities e WHERE e.catalog = @c AND e.type = '{t}' AND e.deleted_at IS NULL{PostgresCatalogVisibility.Predicate(t, rules)}"));
        sql.Append($";\nSELECT coalesce(sum(e.duration), 0)::double precision, coalesce(sum(e.size), 0)::bigint FROM catalog_entities e WHERE {Scenes}{scenes};\n");
        foreach (var type in new[] { CatalogTypes.Tags, CatalogTypes.Studios, CatalogTypes.Performers })
        {
            sql.Append($"""
                SELECT o.id, o.title, count(*) AS n FROM catalog_entities e
                JOIN catalog_relations r ON r.catalog = e.catalog AND r.type = e.type AND r.id = e.id AND r.rel_type = '{type}'
                JOIN catalog_entities o ON o.catalog = r.catalog AND o.type = r.rel_type AND o.id = r.rel_id AND o.deleted_at IS NULL
                WHERE {Scenes}{scenes}{PostgresCatalogVisibility.Predicate(type, rules, "o")}
                GROUP BY o.id, o.title ORDER BY n DESC, o.id LIMIT {Top};

                """);
        }

        await using var cmd = c.Command(sql.ToString(), ("c", catalog), ("u", user));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var (duration, size) = (reader.GetDouble(0), reader.GetInt64(1));
        var tops = new List<IReadOnlyList<CatalogTop>>();
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
        {
            var top = new List<CatalogTop>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                top.Add(new CatalogTop(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }

            tops.Add(top);
        }

        return new CatalogStats(counts, tops[0], tops[1], tops[2], duration, size);
    }
}
