using Microsoft.Data.Sqlite;
using Tessera.Core.Catalog;

namespace Tessera.Index.Sqlite;

/// <summary>Reads catalog entities: the columns of a page, then the relations and images of its entities in one query
/// each, in the page's order.</summary>
internal static class SqliteCatalogRows
{
    public const string Columns = "e.type, e.id, e.title, e.details, e.date, e.rating, e.duration, e.size, e.count, e.updated_at, e.updated_utc, e.created_utc, e.json";

    public static CatalogEntity Entity(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.NullableString(3), r.NullableString(4),
        r.IsDBNull(5) ? null : r.GetInt32(5), r.IsDBNull(6) ? null : r.GetDouble(6), r.NullableInt64(7), r.NullableInt64(8),
        r.GetString(9), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
        r.NullableInt64(11) is { } created ? DateTimeOffset.FromUnixTimeMilliseconds(created) : null, [], [], r.GetString(12));

    /// <summary>The entities with their relations and images filled in.</summary>
    public static async Task<IReadOnlyList<CatalogEntity>> CompleteAsync(SqliteConnection c, string catalog, IReadOnlyList<CatalogEntity> entities,
        CancellationToken cancellationToken)
    {
        if (entities.Count == 0)
        {
            return entities;
        }

        var type = entities[0].Type;
        var ids = string.Join(", ", entities.Select((_, i) => $"$i{i}"));
        (string, object?)[] parameters = [("$c", catalog), ("$t", type), .. entities.Select((e, i) => ($"$i{i}", (object?)e.Id))];
        var relations = (await c.ListAsync($"SELECT id, rel_type, rel_id FROM catalog_relations WHERE catalog = $c AND type = $t AND id IN ({ids}) ORDER BY id, rel_type, rel_id",
            r => (Id: r.GetString(0), Relation: new CatalogRelation(r.GetString(1), r.GetString(2))), cancellationToken, parameters).ConfigureAwait(false))
            .ToLookup(x => x.Id, x => x.Relation, StringComparer.Ordinal);
        var images = (await c.ListAsync($"SELECT id, role, url FROM catalog_images WHERE catalog = $c AND type = $t AND id IN ({ids}) ORDER BY id, role",
            r => (Id: r.GetString(0), Image: new CatalogImage(r.GetString(1), r.NullableString(2))), cancellationToken, parameters).ConfigureAwait(false))
            .ToLookup(x => x.Id, x => x.Image, StringComparer.Ordinal);
        return [.. entities.Select(e => e with { Relations = [.. relations[e.Id]], Images = [.. images[e.Id]] })];
    }
}
