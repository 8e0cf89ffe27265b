using Microsoft.Data.Sqlite;
using Tessera.Core.Catalog;

namespace Tessera.Index.Sqlite;

/// <summary>Aggregations over the live entities a user may see: counts per type, the top tags, studios and performers by
/// their related live scenes, and the scenes' total duration and size. Without rules everything is read from the
/// counters (<see cref="Migrations.M0007CatalogCounters"/>): counts and totals from <c>catalog_live</c>, the top lists
/// as a walk of <c>catalog_rel_counts</c> by descending count. With rules, counts reuse the browse counters; the top
/// lists come from the rule set's counters where they describe it (<see cref="CountedAsync"/>); a user who includes
/// several types counts over the scenes shown; a user without a rule set (rules older than M0007 that a migration has
/// not reached) walks the global counts as candidates and counts each one exactly as the user sees it, stopping once
/// no further candidate's global count (an upper bound of its visible count) can beat the tenth.</summary>
internal static class SqliteCatalogStats
{
    private const int Top = 10;
    private const string Scenes = "e.catalog = $c AND e.type = 'scenes' AND e.deleted_at IS NULL";

    public static async Task<CatalogStats> RunAsync(SqliteConnection c, string catalog, string? user, CancellationToken cancellationToken)
    {
        var viewer = await SqliteCatalogRuleSets.ViewerAsync(c, catalog, user, cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var type in CatalogTypes.All)
        {
            counts[type] = await SqliteCatalogBrowse.CountedAsync(c, catalog, type, viewer, cancellationToken).ConfigureAwait(false)
                ?? await c.ScalarAsync($"SELECT count(*) FROM catalog_entities e WHERE e.catalog = $c AND e.type = $t AND e.deleted_at IS NULL{CatalogVisibility.Predicate(type, viewer)}",
                    cancellationToken, ("$c", catalog), ("$t", type), ("$u", user), ("$s", viewer.SetId)).ConfigureAwait(false);
        }

        var totals = await TotalsAsync(c, catalog, user, viewer, cancellationToken).ConfigureAwait(false);
        return new CatalogStats(counts, await TopAsync(c, catalog, user, viewer, CatalogTypes.Tags, cancellationToken).ConfigureAwait(false),
            await TopAsync(c, catalog, user, viewer, CatalogTypes.Studios, cancellationToken).ConfigureAwait(false),
            await TopAsync(c, catalog, user, viewer, CatalogTypes.Performers, cancellationToken).ConfigureAwait(false), totals.Duration, totals.Size);
    }

    /// <summary>The visible scenes' total duration and size: from the counters without rules; for a user who only
    /// excludes, the live totals less the hidden scenes' (read through the set's marks, a third of the library at most in
    /// practice, never a scan of it); for a user who includes, summed over the scenes marked by the first included type.</summary>
    private static async Task<(double Duration, long Size)> TotalsAsync(SqliteConnection c, string catalog, string? user, CatalogViewer viewer,
        CancellationToken cancellationToken)
    {
        (string, object?)[] parameters = [("$c", catalog), ("$t", CatalogTypes.Scenes), ("$u", user), ("$s", viewer.SetId)];
        const string Sums = "coalesce(sum(e.duration), 0), coalesce(sum(e.size), 0)";
        async Task<(double Duration, long Size)> SumAsync(string sql) =>
            (await c.ListAsync(sql, r => (r.GetDouble(0), r.GetInt64(1)), cancellationToken, parameters).ConfigureAwait(false))[0];

        var live = await SumAsync("SELECT coalesce(sum(duration), 0), coalesce(sum(size), 0) FROM catalog_live WHERE catalog = $c AND type = 'scenes'").ConfigureAwait(false);
        if (viewer.Rules.Count == 0)
        {
            return live;
        }

        if (viewer.SetId is null)
        {
            return await SumAsync($"SELECT {Sums} FROM catalog_entities e WHERE {Scenes}{CatalogVisibility.Predicate(CatalogTypes.Scenes, viewer)}").ConfigureAwait(false);
        }

        if (viewer.Included.Count == 0)
        {
            var hidden = await SumAsync($"SELECT {Sums} FROM catalog_marks m CROSS JOIN catalog_entities e ON e.seq = m.seq WHERE m.set_id = $s AND m.mark = 'x' AND {Scenes}")
                .ConfigureAwait(false);
            return (live.Duration - hidden.Duration, live.Size - hidden.Size);
        }

        var first = viewer.Included[0];
        return await SumAsync($"""
            SELECT {Sums} FROM catalog_marks d CROSS JOIN catalog_entities e ON e.seq = d.seq
            WHERE d.set_id = $s AND d.mark = '{first}' AND {Scenes}{CatalogVisibility.Predicate(CatalogTypes.Scenes, viewer, driven: first)}
            """).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<CatalogTop>> TopAsync(SqliteConnection c, string catalog, string? user, CatalogViewer viewer, string relType,
        CancellationToken cancellationToken)
    {
        (string, object?)[] parameters = [("$c", catalog), ("$t", CatalogTypes.Scenes), ("$u", user), ("$s", viewer.SetId), ("$rt", relType)];
        var own = CatalogVisibility.Predicate(relType, viewer, "o", "$rt");
        if (await CountedAsync(c, viewer, own, parameters, cancellationToken).ConfigureAwait(false) is { } counted)
        {
            return counted;
        }

        if (viewer.Included.Count > 0)
        {
            // The scenes shown are those marked by the first included type (and the rest of the predicate): count over them.
            return await c.ListAsync($"""
                SELECT o.id, o.title, count(*) AS n FROM catalog_marks m
                CROSS JOIN catalog_entities e ON e.seq = m.seq
                CROSS JOIN catalog_relations r ON r.catalog = e.catalog AND r.type = e.type AND r.id = e.id AND r.rel_type = $rt
                CROSS JOIN catalog_entities o ON o.catalog = r.catalog AND o.type = r.rel_type AND o.id = r.rel_id AND o.deleted_at IS NULL
                WHERE m.set_id = $s AND m.mark = '{viewer.Included[0]}' AND {Scenes}{CatalogVisibility.Predicate(CatalogTypes.Scenes, viewer)}{own}
                GROUP BY o.id, o.title ORDER BY n DESC, o.id LIMIT {Top}
                """, r => new CatalogTop(r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken, parameters).ConfigureAwait(false);
        }

        var top = new List<CatalogTop>();
        var restricted = viewer.Rules.Count > 0;
        await using var visibleCount = c.Command($"""
            SELECT count(*) FROM catalog_rel_keys k
            CROSS JOIN catalog_links l ON l.key = k.key
            CROSS JOIN catalog_entities e ON e.seq = l.seq
            WHERE k.catalog = $c AND k.rel_type = $rt AND k.rel_id = $id AND {Scenes}{CatalogVisibility.Predicate(CatalogTypes.Scenes, viewer)}
            """, [.. parameters, ("$id", "")]);
        // Candidates in descending global count; pages of them until the bound proves the top complete.
        long? lastN = null;
        var lastId = "";
        while (true)
        {
            var page = await c.ListAsync($"""
                SELECT o.id, o.title, k.n FROM catalog_rel_counts k
                JOIN catalog_entities o ON o.catalog = k.catalog AND o.type = k.rel_type AND o.id = k.rel_id AND o.deleted_at IS NULL
                WHERE k.catalog = $c AND k.type = 'scenes' AND k.rel_type = $rt AND k.n > 0
                  AND ($n IS NULL OR k.n < $n OR (k.n = $n AND k.rel_id > $last)){own}
                ORDER BY k.n DESC, k.rel_id LIMIT {Top * 4}
                """, r => new CatalogTop(r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken, [.. parameters, ("$n", lastN), ("$last", lastId)]).ConfigureAwait(false);
            foreach (var candidate in page)
            {
                if (top.Count >= Top && candidate.Scenes < top[^1].Scenes)
                {
                    return top;
                }

                var scenes = candidate.Scenes;
                if (restricted)
                {
                    visibleCount.Parameters["$id"].Value = candidate.Id;
                    scenes = Convert.ToInt64(await visibleCount.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                }

                if (scenes > 0)
                {
                    top.Add(candidate with { Scenes = scenes });
                    top.Sort((a, b) => a.Scenes != b.Scenes ? b.Scenes.CompareTo(a.Scenes) : string.CompareOrdinal(a.Id, b.Id));
                    if (top.Count > Top)
                    {
                        top.RemoveAt(Top);
                    }
                }
            }

            if (page.Count < Top * 4)
            {
                return top;
            }

            (lastN, lastId) = (page[^1].Scenes, page[^1].Id);
        }
    }

    /// <summary>The top list from the counters alone, for a user whose rule set a counter describes: one who only excludes
    /// sees each related entity's live scenes (<c>catalog_rel_counts</c>) less its hidden ones; one who includes one type
    /// and excludes nothing sees the ones marked with it (<c>catalog_mark_counts</c>, M0010). Null for other rules.</summary>
    private static async Task<IReadOnlyList<CatalogTop>?> CountedAsync(SqliteConnection c, CatalogViewer viewer, string own, (string, object?)[] parameters,
        CancellationToken cancellationToken)
    {
        if (viewer.SetId is null || viewer.Rules.Count == 0)
        {
            return null;
        }

        if (viewer.Included.Count == 0)
        {
            return await c.ListAsync($"""
                SELECT o.id, o.title, k.n - coalesce(h.n, 0) AS v FROM catalog_rel_counts k
                JOIN catalog_entities o ON o.catalog = k.catalog AND o.type = k.rel_type AND o.id = k.rel_id AND o.deleted_at IS NULL
                LEFT JOIN catalog_mark_counts h ON h.set_id = $s AND h.mark = 'x' AND h.rel_type = k.rel_type AND h.rel_id = k.rel_id AND h.type = k.type
                WHERE k.catalog = $c AND k.type = 'scenes' AND k.rel_type = $rt AND k.n - coalesce(h.n, 0) > 0{own}
                ORDER BY v DESC, k.rel_id LIMIT {Top}
                """, r => new CatalogTop(r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken, parameters).ConfigureAwait(false);
        }

        return viewer.Included.Count == 1 && !viewer.Excludes
            ? await c.ListAsync($"""
                SELECT o.id, o.title, k.n FROM catalog_mark_counts k
                JOIN catalog_entities o ON o.catalog = $c AND o.type = k.rel_type AND o.id = k.rel_id AND o.deleted_at IS NULL
                WHERE k.set_id = $s AND k.mark = '{viewer.Included[0]}' AND k.rel_type = $rt AND k.type = 'scenes' AND k.n > 0{own}
                ORDER BY k.n DESC, k.rel_id LIMIT {Top}
                """, r => new CatalogTop(r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken, parameters).ConfigureAwait(false)
            : null;
    }
}
