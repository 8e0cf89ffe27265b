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
        var related = await LinksAsync(c, query, RelationFilters(query), cancellationToken).ConfigureAwait(false);
        if (related is null)
        {
            return new CatalogPage(0, []); // a related entity nothing is related to: no entity has it
        }

        var parameters = new List<(string, object?)> { ("$c", query.Catalog), ("$t", query.Type), ("$u", query.User), ("$s", viewer.SetId) };
        var where = new StringBuilder("e.catalog = $c AND e.type = $t AND e.deleted_at IS NULL");
        var plain = where.Length;
        var match = CatalogSearchText.ToMatch(query.Text);
        if (match is not null)
        {
            parameters.Add(("$q", match));
        }

        foreach (var link in related)
        {
            parameters.Add((link.Parameter, link.Key));
        }

        Range(where, parameters, "rating", query.MinRating, query.MaxRating);
        Range(where, parameters, "date", query.DateFrom, query.DateTo);
        var filtered = where.Length != plain || match is not null || related.Count > 0;
        string Visible(Source? drive) => CatalogVisibility.Predicate(query.Type, viewer, driven: drive?.Mark);
        var live = await c.ScalarAsync("SELECT coalesce(sum(n), 0) FROM catalog_live WHERE catalog = $c AND type = $t", cancellationToken,
            ("$c", query.Catalog), ("$t", query.Type)).ConfigureAwait(false);
        var sources = await SourcesAsync(c, query, viewer, related, match, live, cancellationToken).ConfigureAwait(false);
        var smallest = sources.MinBy(s => s.Size);
        var count = (filtered ? await RelatedCountAsync(c, query, related, match, viewer, cancellationToken).ConfigureAwait(false)
                : await CountedAsync(c, query.Catalog, query.Type, viewer, cancellationToken).ConfigureAwait(false))
            ?? await c.ScalarAsync($"SELECT count(*) FROM {From(smallest, match, related)} {where}{Visible(smallest)}", cancellationToken, [.. parameters]).ConfigureAwait(false);

        var perPage = Math.Clamp(query.PerPage, 1, MaxPerPage);
        var offset = (long)(Math.Max(query.Page, 1) - 1) * perPage;
        if (count <= offset)
        {
            return new CatalogPage(count, []);
        }

        // Two ways to the page's seqs, chosen from the exact count: walk the sort index (covering: it holds the sort column,
        // id and seq, so a deep OFFSET skips index entries, not rows) probing each entry, which visits about
        // (offset + n) × live / count entries; or take the smallest matching set (a related entity's links, the search's
        // matches, an including user's marks) and sort it, which reads each of its rows. An index entry and its integer
        // probes cost about a quarter of a row read at random (250k scenes: 0.65 µs against 2.5 µs), so the walk's
        // entries count a quarter. A unary + on the sort terms keeps the planner from the sort index when a set is driven.
        var walk = (offset + perPage) * (double)live / count / 4;
        var drive = sources.Select(s => s.Kind == "search" && related.Count == 0 ? s with { Size = count } : s).MinBy(s => s.Size) is { } set && set.Size < walk ? set : null;
        var plus = drive is null ? "" : "+";
        var dir = query.Descending ? "DESC" : "ASC";
        var order = $"ORDER BY e.{column} {dir}, e.id {dir}";
        var items = await c.ListAsync(
            $"SELECT {SqliteCatalogRows.Columns} FROM catalog_entities e WHERE e.seq IN (SELECT e.seq FROM {From(drive, match, related)} {where}{Visible(drive)} ORDER BY {plus}e.{column} {dir}, {plus}e.id {dir} LIMIT $n OFFSET $o) {order}",
            SqliteCatalogRows.Entity, cancellationToken, [.. parameters, ("$n", perPage), ("$o", offset)]).ConfigureAwait(false);
        return new CatalogPage(count, await SqliteCatalogRows.CompleteAsync(c, query.Catalog, items, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A set a browse can be driven from, with about how many rows it has: the full-text matches, a related
    /// entity's links, or an including user's marks.</summary>
    private sealed record Source(string Kind, double Size, string? Parameter = null, string? Mark = null);

    /// <summary>A relation filter with its number in <c>catalog_rel_keys</c>, the SQL parameter that carries it, and how
    /// many live entities of the browsed type have it.</summary>
    private sealed record Link(CatalogRelation Relation, long Key, string Parameter, long Live);

    /// <summary>The relation filters' numbers and sizes, or null when one of them has no number (nothing has it).</summary>
    private static async Task<List<Link>?> LinksAsync(SqliteConnection c, CatalogQuery query, IReadOnlyList<CatalogRelation> relations, CancellationToken cancellationToken)
    {
        var links = new List<Link>();
        foreach (var relation in relations)
        {
            var key = await c.ListAsync("SELECT key FROM catalog_rel_keys WHERE catalog = $c AND rel_type = $rt AND rel_id = $ri", r => r.GetInt64(0), cancellationToken,
                ("$c", query.Catalog), ("$rt", relation.Type), ("$ri", relation.Id)).ConfigureAwait(false);
            if (key is not [var number])
            {
                return null;
            }

            var live = await c.ScalarAsync("SELECT coalesce(sum(n), 0) FROM catalog_rel_counts WHERE catalog = $c AND rel_type = $rt AND rel_id = $ri AND type = $t",
                cancellationToken, ("$c", query.Catalog), ("$rt", relation.Type), ("$ri", relation.Id), ("$t", query.Type)).ConfigureAwait(false);
            links.Add(new Link(relation, number, $"$k{links.Count}", live));
        }

        return links;
    }

    /// <summary>The sets this browse could be driven from. The search's size is not known before counting it: to count, it
    /// is taken as a tenth of the live rows (a search word is rarer than that, or it is not much of a search); for the
    /// page, a search that is the only filter is about as large as its count.</summary>
    private static async Task<List<Source>> SourcesAsync(SqliteConnection c, CatalogQuery query, CatalogViewer viewer, IReadOnlyList<Link> related, string? match,
        long live, CancellationToken cancellationToken)
    {
        var sources = related.Select(l => new Source("link", l.Live, l.Parameter)).ToList();
        if (match is not null)
        {
            sources.Add(new Source("search", live / 10.0));
        }

        if (viewer.SetId is { } set && viewer.Included.Count > 0 && CatalogVisibility.Cascades(query.Type))
        {
            var marked = await c.ScalarAsync("SELECT coalesce(sum(n), 0) FROM catalog_marks_live WHERE set_id = $s AND mark = $m AND type = $t", cancellationToken,
                ("$s", set), ("$m", viewer.Included[0]), ("$t", query.Type)).ConfigureAwait(false);
            sources.Add(new Source("marks", marked, Mark: viewer.Included[0]));
        }

        return sources;
    }

    /// <summary>The rows a browse reads, up to the WHERE that the predicate completes: the entities, walked in the sort
    /// index's order; or a smaller set joined to them (CROSS JOIN fixes the order: the planner cannot tell how small the
    /// set is and would walk a whole index probing it). The relation filters are probes of their links by seq, written
    /// on the driving set's seq so that a row failing them is dropped before the entity is read; the search is a set of
    /// seqs computed once and probed unless it drives. The marks stay in the predicate too (a probe).</summary>
    private static string From(Source? drive, string? match, IReadOnlyList<Link> related)
    {
        var (from, seq) = drive?.Kind switch
        {
            "search" => ("catalog_fts f CROSS JOIN catalog_entities e ON e.seq = f.rowid WHERE f.catalog_fts MATCH $q AND", "e.seq"),
            "marks" => ($"catalog_marks d CROSS JOIN catalog_entities e ON e.seq = d.seq WHERE d.set_id = $s AND d.mark = '{drive.Mark}' AND", "d.seq"),
            "link" => ($"catalog_links d CROSS JOIN catalog_entities e ON e.seq = d.seq WHERE d.key = {drive.Parameter} AND", "d.seq"),
            _ => ("catalog_entities e WHERE", "e.seq"),
        };
        var sql = new StringBuilder(from);
        if (match is not null && drive?.Kind != "search")
        {
            sql.Append(" e.seq IN (SELECT rowid FROM catalog_fts WHERE catalog_fts MATCH $q) AND");
        }

        foreach (var link in related.Where(l => drive?.Parameter != l.Parameter))
        {
            sql.Append($" EXISTS (SELECT 1 FROM catalog_links l WHERE l.key = {link.Parameter} AND l.seq = {seq}) AND");
        }

        return sql.ToString();
    }

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

    /// <summary>The count of a browse filtered by one related entity alone (a tag, a studio…) from its counters, or null
    /// when the filter is anything else: counting a popular tag's scenes row by row visits a fifth of the library. With
    /// no rules it is the live entities related to it (<c>catalog_rel_counts</c>); for an excluding user, those less the
    /// ones the set hides; for a user including one type (and excluding nothing), the ones marked with it
    /// (<c>catalog_mark_counts</c>, M0010).</summary>
    private static async Task<long?> RelatedCountAsync(SqliteConnection c, CatalogQuery query, IReadOnlyList<Link> related, string? match,
        CatalogViewer viewer, CancellationToken cancellationToken)
    {
        if (match is not null || related is not [var only] || query.MinRating is not null || query.MaxRating is not null || query.DateFrom is not null || query.DateTo is not null)
        {
            return null;
        }

        if (viewer.Rules.Count == 0)
        {
            return only.Live;
        }

        if (viewer.SetId is not { } set || !CatalogVisibility.Cascades(query.Type))
        {
            return null;
        }

        const string Marked = "SELECT coalesce(sum(n), 0) FROM catalog_mark_counts WHERE set_id = $s AND mark = $m AND rel_type = $rt AND rel_id = $ri AND type = $t";
        var included = viewer.Included;
        if (included.Count == 0)
        {
            return only.Live - await c.ScalarAsync(Marked, cancellationToken, ("$s", set), ("$m", "x"), ("$rt", only.Relation.Type), ("$ri", only.Relation.Id),
                ("$t", query.Type)).ConfigureAwait(false);
        }

        return included.Count == 1 && !viewer.Excludes
            ? await c.ScalarAsync(Marked, cancellationToken, ("$s", set), ("$m", included[0]), ("$rt", only.Relation.Type), ("$ri", only.Relation.Id),
                ("$t", query.Type)).ConfigureAwait(false)
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
