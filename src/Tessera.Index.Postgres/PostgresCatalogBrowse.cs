using System.Text;
using Npgsql;
using Tessera.Core.Catalog;
using Tessera.Index.Postgres.Migrations;

namespace Tessera.Index.Postgres;

/// <summary>A browse request as one WHERE for the page and its count, sent together (one round trip): live rows of the
/// type, the full-text match on <c>search</c> (<see cref="PostgresCatalogSearch"/>), relation filters as probes of the
/// junction (several values AND), rating and date ranges, and the user's rules (<see cref="PostgresCatalogVisibility"/>).
/// The page orders by the sort column (a missing value first ascending, last descending, as SQLite orders NULL) then
/// id, so equal values never skip or repeat between pages; LIMIT/OFFSET over the live partial index of that column.</summary>
internal static class PostgresCatalogBrowse
{
    public const int MaxPerPage = 500;

    public static async Task<CatalogPage> RunAsync(NpgsqlConnection c, CatalogQuery query, CancellationToken cancellationToken)
    {
        if (!CatalogTypes.IsKnown(query.Type))
        {
            throw new ArgumentException($"unknown catalog type '{query.Type}'", nameof(query));
        }

        if (!M0005Catalog.SortColumns.TryGetValue(query.Sort, out var column))
        {
            throw new ArgumentException($"cannot sort by '{query.Sort}' (allowed: {string.Join(", ", M0005Catalog.SortColumns.Keys)})", nameof(query));
        }

        var rules = await PostgresCatalogVisibility.RulesAsync(c, query.Catalog, query.User, cancellationToken).ConfigureAwait(false);
        var parameters = new List<(string, object?)> { ("c", query.Catalog), ("t", query.Type), ("u", query.User) };
        var where = new StringBuilder("e.catalog = @c AND e.type = @t AND e.deleted_at IS NULL");
        if (PostgresCatalogSearch.ToQuery(query.Text) is { } search)
        {
            where.Append(" AND e.search @@ @q::tsquery");
            parameters.Add(("q", search));
        }

        foreach (var (relation, i) in RelationFilters(query).Select((r, i) => (r, i)))
        {
            where.Append($" AND EXISTS (SELECT 1 FROM catalog_relations l WHERE l.catalog = e.catalog AND l.type = e.type AND l.id = e.id AND l.rel_type = @rt{i} AND l.rel_id = @ri{i})");
            parameters.Add(($"rt{i}", relation.Type));
            parameters.Add(($"ri{i}", relation.Id));
        }

        Range(where, parameters, "rating", query.MinRating, query.MaxRating);
        Range(where, parameters, "date", query.DateFrom, query.DateTo);
        where.Append(PostgresCatalogVisibility.Predicate(query.Type, rules));

        var perPage = Math.Clamp(query.PerPage, 1, MaxPerPage);
        var offset = (long)(Math.Max(query.Page, 1) - 1) * perPage;
        // id is never null: its order is the key's (a NULLS clause would not match the index and sort every row).
        var dir = query.Descending ? "DESC" : "ASC";
        var nulls = column == "id" ? "" : query.Descending ? " NULLS LAST" : " NULLS FIRST";
        await using var cmd = c.Command($"""
            SELECT count(*) FROM catalog_entities e WHERE {where};
            SELECT {PostgresCatalogRows.Columns} FROM catalog_entities e WHERE {where}
            ORDER BY e.{column} {dir}{nulls}, e.id {dir} LIMIT @n OFFSET @o
            """, [.. parameters, ("n", perPage), ("o", offset)]);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var count = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<CatalogEntity>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(PostgresCatalogRows.Entity(reader));
        }

        await reader.DisposeAsync().ConfigureAwait(false);
        return new CatalogPage(count, await PostgresCatalogRows.CompleteAsync(c, query.Catalog, items, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The query's relation filters (tags, studios, performers, groups), each value once.</summary>
    private static List<CatalogRelation> RelationFilters(CatalogQuery query) =>
        [.. new[] { (CatalogTypes.Tags, query.Tags), (CatalogTypes.Studios, query.Studios), (CatalogTypes.Performers, query.Performers), (CatalogTypes.Groups, query.Groups) }
            .SelectMany(f => (f.Item2 ?? []).Distinct(StringComparer.Ordinal).Select(id => new CatalogRelation(f.Item1, id)))];

    private static void Range(StringBuilder where, List<(string, object?)> parameters, string column, object? from, object? to)
    {
        if (from is not null)
        {
            where.Append($" AND e.{column} >= @from_{column}");
            parameters.Add(($"from_{column}", from));
        }

        if (to is not null)
        {
            where.Append($" AND e.{column} <= @to_{column}");
            parameters.Add(($"to_{column}", to));
        }
    }
}
