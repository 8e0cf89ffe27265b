using Npgsql;
using Tessera.Core.Catalog;

namespace Tessera.Index.Postgres;

/// <summary>Reads catalog entities: the columns of a page, then the relations and images of its entities in one round
/// trip, in the page's order.</summary>
internal static class PostgresCatalogRows
{
    public const string Columns = "e.type, e.id, e.title, e.details, e.date, e.rating, e.duration, e.size, e.count, e.updated_at, e.updated_utc, e.created_utc, e.json";

    public static CatalogEntity Entity(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.NullableString(3), r.NullableString(4),
        r.IsDBNull(5) ? null : r.GetInt32(5), r.IsDBNull(6) ? null : r.GetDouble(6), r.NullableInt64(7), r.NullableInt64(8),
        r.GetString(9), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
        r.NullableInt64(11) is { } created ? DateTimeOffset.FromUnixTimeMilliseconds(created) : null, [], [], r.GetString(12));

    /// <summary>The entities (all of one type) with their relations and images filled in.</summary>
    public static async Task<IReadOnlyList<CatalogEntity>> CompleteAsync(NpgsqlConnection c, string catalog, IReadOnlyList<CatalogEntity> entities,
        CancellationToken cancellationToken)
    {
        if (entities.Count == 0)
        {
            return entities;
        }

        await using var cmd = c.Command("""
            SELECT id, rel_type, rel_id FROM catalog_relations WHERE catalog = @c AND type = @t AND id = ANY(@ids) ORDER BY id, rel_type, rel_id;
            SELECT id, role, url FROM catalog_images WHERE catalog = @c AND type = @t AND id = ANY(@ids) ORDER BY id, role
            """, ("c", catalog), ("t", entities[0].Type), ("ids", PostgresCommands.Array(entities.Select(e => e.Id))));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var relations = new List<(string Id, CatalogRelation Relation)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            relations.Add((reader.GetString(0), new CatalogRelation(reader.GetString(1), reader.GetString(2))));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var images = new List<(string Id, CatalogImage Image)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            images.Add((reader.GetString(0), new CatalogImage(reader.GetString(1), reader.NullableString(2))));
        }

        var byRelation = relations.ToLookup(x => x.Id, x => x.Relation, StringComparer.Ordinal);
        var byImage = images.ToLookup(x => x.Id, x => x.Image, StringComparer.Ordinal);
        return [.. entities.Select(e => e with { Relations = [.. byRelation[e.Id]], Images = [.. byImage[e.Id]] })];
    }
}
