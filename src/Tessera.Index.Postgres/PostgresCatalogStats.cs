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
        // The visible scenes once, then their relations counted once: materialized, so the planner never nests the
        // rules' probes inside the relation joins (without statistics on fresh tables it did, and took seconds at 240 scenes).
        sql.Append($"""
            WITH v AS MATERIALIZED (SELECT e.catalog, e.type, e.id FROM catalog_entities e WHERE {Scenes}{scenes}),
            t AS MATERIALIZED (SELECT r.catalog, r.rel_type, r.rel_id, count(*) AS n FROM v
                JOIN catalog_relations r ON r.catalog = v.catalog AND r.type = v.type AND r.id = v.id
                WHERE r.rel_type IN ('{CatalogTypes.Tags}', '{CatalogTypes.Studios}', '{CatalogTypes.Performers}') GROUP BY r.catalog, r.rel_type, r.rel_id)

            """);
        sql.AppendJoin(" UNION ALL ", new[] { CatalogTypes.Tags, CatalogTypes.Studios, CatalogTypes.Performers }.Select(type => $"""
            (SELECT t.rel_type, o.id, o.title, t.n FROM t
            JOIN catalog_entities o ON o.catalog = t.catalog AND o.type = t.rel_type AND o.id = t.rel_id AND o.deleted_at IS NULL
            WHERE t.rel_type = '{type}'{PostgresCatalogVisibility.Predicate(type, rules, "o")} ORDER BY t.n DESC, o.id LIMIT {Top})
            """));

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
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var tops = new List<(string Type, CatalogTop Top)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tops.Add((reader.GetString(0), new CatalogTop(reader.GetString(1), reader.GetString(2), reader.GetInt64(3))));
        }

        IReadOnlyList<CatalogTop> Of(string type) => [.. tops.Where(t => t.Type == type).Select(t => t.Top)
            .OrderByDescending(t => t.Scenes).ThenBy(t => t.Id, StringComparer.Ordinal)];
        return new CatalogStats(counts, Of(CatalogTypes.Tags), Of(CatalogTypes.Studios), Of(CatalogTypes.Performers), duration, size);
    }
}
