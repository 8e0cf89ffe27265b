using System.Text;
using Microsoft.Data.Sqlite;
using Tessera.Core.Catalog;
using Tessera.Index.Sqlite.Migrations;

namespace Tessera.Index.Sqlite;

/// <summary>A browse request as one WHERE for the page and its count: live rows of the type, full-text match through
/// the FTS table, relation filters as subqueries on the junction's reverse index (several values AND), rating and date
/// ranges, and the user's rules (<see cref="CatalogVisibility"/>). The page orders by the sort column then id, so equal
/// values never skip or repeat between pages. An unfiltered count comes from the counters (<see cref="CountedAsync"/>),
/// never <c>count(*)</c>; the page's seqs are found first (an index walk or a small driven set, whichever visits fewer
/// rows), then only those rows are read.</summary>
internal static class SqliteCatalogBrowse
{
    public const int MaxPerPage = 500;

    public static async Task<CatalogPage> RunAsync(SqliteConnection c, CatalogQuery query, CancellationToken cancellationToken)
    {
        if (!CatalogTypes.IsKnown(query.Type))
        {
            throw new ArgumentException($"unknown catalog type '{query.Type}'", nameof(query));
        }

        if (!M0006Catalog.SortColumns.TryGetValue(query.Sort, out var column))
        {
            throw new ArgumentException($"cannot sort by '{query.Sort}' (allowed: {string.Join(", ", M0006Catalog.SortColumns.Keys)})", nameof(query));
        }

        var viewer = await SqliteCatalogRuleSets.ViewerAsync(c, query.Catalog, query.User, cancellationToken).ConfigureAwait(false);
        var parameters = new List<(string, object?)> { ("$c", query.Catalog), ("$t", query.Type), ("$u", query.User), ("$s", viewer.SetId) };
        var where = new StringBuilder("e.catalog = $c AND e.type = $t AND e.deleted_at IS NULL");
        var plain = where.Length;
        var match = CatalogSearchText.ToMatch(query.Text);
        if (match is not null)
        {
            parameters.Add(("$q", match));
        }

        var related = RelationFilters(query);
        Related(where, parameters, related);
        Range(where, parameters, "rating", query.MinRating, query.MaxRating);
        Range(where, parameters, "date", query.DateFrom, query.DateTo);
        var filtered = where.Length != plain || match is not null;
        where.Append(CatalogVisibility.Predicate(query.Type, viewer));
        var shown = filtered || viewer.SetId is null || viewer.Included.Count == 0 || !CatalogVisibility.Cascades(query.Type) ? null : viewer.Included[0];

        var perPage = Math.Clamp(query.PerPage, 1, MaxPerPage);
        var offset = (long)(Math.Max(query.Page, 1) - 1) * perPage;
        var dir = query.Descending ? "DESC" : "ASC";
        var count = (filtered ? await RelatedCountAsync(c, query, related, match, viewer, cancellationToken).ConfigureAwait(false)
                : await CountedAsync(c, query.Catalog, query.Type, viewer, cancellationToken).ConfigureAwait(false))
            ?? await c.ScalarAsync($"SELECT count(*) FROM {From(match, shown, true)} {where}", cancellationToken, [.. parameters]).ConfigureAwait(false);
        // Two ways to the page's seqs, chosen from the exact count: walk the sort index (covering: it holds the sort column,
        // id and seq, so a deep OFFSET skips index entries, not rows) probing each entry, which visits about
        // (offset + n) × live / count entries; or take the matching set (tag, studio, search, an include user's marks)
        // and sort it, about count entries. Walk when count² ≥ (offset + n) × live. A unary + on the sort terms keeps the
        // planner from the sort index when the set is driven.
        var live = await c.ScalarAsync("SELECT coalesce(sum(n), 0) FROM catalog_live WHERE catalog = $c AND type = $t", cancellationToken,
            ("$c", query.Catalog), ("$t", query.Type)).ConfigureAwait(false);
        var drive = count * count < (offset + perPage) * live;
        var plus = drive ? "+" : "";
        var order = $"ORDER BY e.{column} {dir}, e.id {dir}";
        var items = count <= offset ? [] : await c.ListAsync(
            $"SELECT {SqliteCatalogRows.Columns} FROM catalog_entities e WHERE e.seq IN (SELECT e.seq FROM {From(match, shown, drive)} {where} ORDER BY {plus}e.{column} {dir}, {plus}e.id {dir} LIMIT $n OFFSET $o) {order}",
            SqliteCatalogRows.Entity, cancellationToken, [.. parameters, ("$n", perPage), ("$o", offset)]).ConfigureAwait(false);
        return new CatalogPage(count, await SqliteCatalogRows.CompleteAsync(c, query.Catalog, items, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The rows a browse reads, up to the WHERE that the predicate completes: the entities; or, to drive from a
    /// small set, the FTS matches or (unfiltered) the include user's marked seqs joined to them (CROSS JOIN fixes the
    /// order: the planner cannot tell how small the set is and would walk a whole index probing it); or, to walk a sort
    /// index, the matches as a set of seqs computed once and probed. The marks stay in the predicate too (a probe).</summary>
    private static string From(string? match, string? shown, bool drive) => (match, shown, drive) switch
    {
        (not null, _, true) => "catalog_fts f CROSS JOIN catalog_entities e ON e.seq = f.rowid WHERE f.catalog_fts MATCH $q AND",
        (not null, _, false) => "catalog_entities e WHERE e.seq IN (SELECT rowid FROM catalog_fts WHERE catalog_fts MATCH $q) AND",
        (null, not null, true) => $"catalog_marks d CROSS JOIN catalog_entities e ON e.seq = d.seq WHERE d.set_id = $s AND d.mark = '{shown}' AND",
        _ => "catalog_entities e WHERE",
    };

    /// <summary>The count of an unfiltered browse from the counters, or null when only a count of the rows can tell:
    /// the live rows (<c>catalog_live</c>); an excluding user sees live − the set's live hidden rows; a user including
    /// one type (and excluding nothing) sees the set's live marked rows of that type.</summary>
    public static async Task<long?> CountedAsync(SqliteConnection c, string catalog, string type, CatalogViewer viewer, CancellationToken cancellationToken)
    {
        const string Live = "SELECT coalesce(sum(n), 0) FROM catalog_live WHERE catalog = $c AND type = $t";
        const string Marked = "SELECT coalesce(sum(n), 0) FROM catalog_marks_live WHERE set_id = $s AND mark = $m AND type = $t";
        if (viewer.Rules.Count == 0)
        {
            return await c.ScalarAsync(Live, cancellationToken, ("$c", catalog), ("$t", type)).ConfigureAwait(false);
        }

        if (!CatalogVisibility.Cascades(type) || viewer.SetId is not { } set)
        {
            return null;
        }

        var included = viewer.Included;
        if (included.Count == 0)
        {
            return await c.ScalarAsync(Live, cancellationToken, ("$c", catalog), ("$t", type)).ConfigureAwait(false)
                - await c.ScalarAsync(Marked, cancellationToken, ("$s", set), ("$m", "x"), ("$t", type)).ConfigureAwait(false);
        }

        return included.Count == 1 && !viewer.Excludes
            ? await c.ScalarAsync(Marked, cancellationToken, ("$s", set), ("$m", included[0]), ("$t", type)).ConfigureAwait(false)
            : null;
    }

    /// <summary>The count of a browse filtered by one related entity alone (a tag, a studio…) for a user without rules,
    /// from its counter (<c>catalog_rel_counts</c>: live entities of each type related to it), or null when the filter is
    /// anything else: counting a popular tag's scenes through the junction visits every one of them.</summary>
    private static async Task<long?> RelatedCountAsync(SqliteConnection c, CatalogQuery query, IReadOnlyList<CatalogRelation> related, string? match,
        CatalogViewer viewer, CancellationToken cancellationToken)
    {
        if (match is not null || viewer.Rules.Count > 0 || query.MinRating is not null || query.MaxRating is not null || query.DateFrom is not null || query.DateTo is not null)
        {
            return null;
        }

        return related is [var only]
            ? await c.ScalarAsync("SELECT coalesce(sum(n), 0) FROM catalog_rel_counts WHERE catalog = $c AND rel_type = $rt AND rel_id = $ri AND type = $t",
                cancellationToken, ("$c", query.Catalog), ("$rt", only.Type), ("$ri", only.Id), ("$t", query.Type)).ConfigureAwait(false)
            : null;
    }

    public static async Task<IReadOnlyList<CatalogRule>> RulesAsync(SqliteConnection c, string catalog, string user, CancellationToken cancellationToken) =>
        [.. (await c.ListAsync("SELECT type, mode, id FROM catalog_rules WHERE catalog = $c AND user_name = $u ORDER BY type, mode, id",
            r => (Type: r.GetString(0), Mode: r.GetString(1), Id: r.GetString(2)), cancellationToken, ("$c", catalog), ("$u", user)).ConfigureAwait(false))
            .GroupBy(r => (r.Type, r.Mode)).Select(g => new CatalogRule(g.Key.Type, g.Key.Mode, [.. g.Select(r => r.Id)]))];

    /// <summary>The query's relation filters (tags, studios, performers, groups), each value once.</summary>
    private static List<CatalogRelation> RelationFilters(CatalogQuery query) =>
        [.. new[] { (CatalogTypes.Tags, query.Tags), (CatalogTypes.Studios, query.Studios), (CatalogTypes.Performers, query.Performers), (CatalogTypes.Groups, query.Groups) }
            .SelectMany(f => (f.Item2 ?? []).Distinct(StringComparer.Ordinal).Select(id => new CatalogRelation(f.Item1, id)))];

    private static void Related(StringBuilder where, List<(string, object?)> parameters, IReadOnlyList<CatalogRelation> related)
    {
        foreach (var relation in related)
        {
            var name = $"$r{parameters.Count}";
            where.Append($" AND e.id IN (SELECT r.id FROM catalog_relations r WHERE r.catalog = $c AND r.rel_type = '{relation.Type}' AND r.rel_id = {name} AND r.type = $t)");
            parameters.Add((name, relation.Id));
        }
    }

    private static void Range(StringBuilder where, List<(string, object?)> parameters, string column, object? from, object? to)
    {
        if (from is not null)
        {
            where.Append($" AND e.{column} >= $from_{column}");
            parameters.Add(($"$from_{column}", from));
        }

        if (to is not null)
        {
            where.Append($" AND e.{column} <= $to_{column}");
            parameters.Add(($"$to_{column}", to));
        }
    }
}
