using Npgsql;
using Tessera.Core.Catalog;

namespace Tessera.Index.Postgres;

/// <summary>Writes one page of entities in three round trips whatever its size, every column sent as one array
/// (<c>unnest</c>) rather than a statement per entity: one read locks the page's stored entities in key order and
/// reads their images (to tell which changed), one command of six statements writes the page, and the commit. The
/// entities are upserted only where something differs (or the row was soft-deleted); the rest only get <c>synced_at</c>
/// moved. Relations and images are compared with what is stored in SQL, so only the differences are written and a page
/// synced again writes no junction or image row. An entity twice in a page ends as its last copy, and the changed
/// entities are told exactly as if each copy were written alone, in order (as on SQLite).</summary>
internal static class PostgresCatalogUpsert
{
    private const string Write = """
        INSERT INTO catalog_entities AS e(catalog, type, id, title, sort_title, details, date, rating, duration, size, count,
            updated_at, updated_utc, created_utc, json, search, synced_at, deleted_at)
        SELECT @c, p.type, p.id, p.title, p.sort_title, p.details, p.date, p.rating, p.duration, p.size, p.count,
            p.updated_at, p.updated_utc, p.created_utc, p.json, array_to_tsvector(string_to_array(p.words, ' ')), @seen, NULL
        FROM unnest(@type, @id, @title, @sort, @details, @date, @rating, @duration, @size, @count, @ua, @uu, @cu, @json, @words)
            AS p(type, id, title, sort_title, details, date, rating, duration, size, count, updated_at, updated_utc, created_utc, json, words)
        ON CONFLICT(catalog, type, id) DO UPDATE SET title = excluded.title, sort_title = excluded.sort_title, details = excluded.details,
            date = excluded.date, rating = excluded.rating, duration = excluded.duration, size = excluded.size, count = excluded.count,
            updated_at = excluded.updated_at, updated_utc = excluded.updated_utc, created_utc = excluded.created_utc, json = excluded.json,
            search = excluded.search, synced_at = excluded.synced_at, deleted_at = NULL
        WHERE e.deleted_at IS NOT NULL
            OR (e.title, e.details, e.date, e.rating, e.duration, e.size, e.count, e.updated_at, e.updated_utc, e.created_utc, e.json)
            IS DISTINCT FROM (excluded.title, excluded.details, excluded.date, excluded.rating, excluded.duration, excluded.size, excluded.count,
                excluded.updated_at, excluded.updated_utc, excluded.created_utc, excluded.json);
        UPDATE catalog_entities e SET synced_at = @seen FROM unnest(@type, @id) AS p(type, id)
        WHERE e.catalog = @c AND e.type = p.type AND e.id = p.id AND e.synced_at <> @seen;
        DELETE FROM catalog_relations r USING unnest(@type, @id) AS p(type, id)
        WHERE r.catalog = @c AND r.type = p.type AND r.id = p.id
            AND NOT EXISTS (SELECT 1 FROM unnest(@rtype, @rid, @rreltype, @rrelid) AS n(type, id, rel_type, rel_id)
                WHERE n.type = r.type AND n.id = r.id AND n.rel_type = r.rel_type AND n.rel_id = r.rel_id);
        INSERT INTO catalog_relations(catalog, type, id, rel_type, rel_id)
        SELECT @c, n.type, n.id, n.rel_type, n.rel_id FROM unnest(@rtype, @rid, @rreltype, @rrelid) AS n(type, id, rel_type, rel_id)
        ON CONFLICT DO NOTHING;
        DELETE FROM catalog_images i USING unnest(@itype, @iid) AS p(type, id) WHERE i.catalog = @c AND i.type = p.type AND i.id = p.id;
        INSERT INTO catalog_images(catalog, type, id, role, url)
        SELECT @c, n.type, n.id, n.role, n.url FROM unnest(@ntype, @nid, @nrole, @nurl) AS n(type, id, role, url)
        """;

    public static async Task<IReadOnlyList<CatalogEntity>> RunAsync(NpgsqlConnection c, string catalog, IReadOnlyList<CatalogEntity> entities,
        DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        var last = new Dictionary<(string, string), CatalogEntity>();
        foreach (var e in entities)
        {
            last[(e.Type, e.Id)] = e;
        }

        // Key order: concurrent writers of overlapping pages lock the rows in the same order.
        var page = last.Values.OrderBy(e => e.Type, StringComparer.Ordinal).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var stored = await StoredImagesAsync(c, catalog, page, cancellationToken).ConfigureAwait(false);

        var changed = new List<CatalogEntity>();
        var current = new Dictionary<(string, string), List<(string, string?)>>(stored);
        foreach (var e in entities)
        {
            var after = Images(e);
            if (current.TryGetValue((e.Type, e.Id), out var had) && !had.SequenceEqual(after))
            {
                changed.Add(e);
            }

            current[(e.Type, e.Id)] = after;
        }

        var rewritten = page.Where(e => !(stored.GetValueOrDefault((e.Type, e.Id)) ?? []).SequenceEqual(Images(e))).ToList();
        var relations = page.SelectMany(e => e.Relations.Distinct().Select(r => (e.Type, e.Id, r.Type, RelId: r.Id))).ToList();
        var images = rewritten.SelectMany(e => Images(e).Select(i => (e.Type, e.Id, Role: i.Item1, Url: i.Item2))).ToList();
        await c.ExecuteAsync(Write, cancellationToken,
            ("c", catalog), ("seen", seenAt.ToUnixTimeMilliseconds()),
            ("type", page.Select(e => e.Type).ToArray()), ("id", page.Select(e => e.Id).ToArray()), ("title", page.Select(e => Text(e.Title)).ToArray()),
            ("sort", page.Select(e => Text(e.Title).ToLowerInvariant()).ToArray()), ("details", page.Select(e => TextOrNull(e.Details)).ToArray()),
            ("date", page.Select(e => TextOrNull(e.Date)).ToArray()), ("rating", page.Select(e => e.Rating).ToArray()),
            ("duration", page.Select(e => e.DurationSeconds).ToArray()), ("size", page.Select(e => e.SizeBytes).ToArray()),
            ("count", page.Select(e => e.Count).ToArray()), ("ua", page.Select(e => Text(e.UpdatedAt)).ToArray()),
            ("uu", page.Select(e => e.UpdatedAtUtc.ToUnixTimeMilliseconds()).ToArray()),
            ("cu", page.Select(e => e.CreatedAtUtc?.ToUnixTimeMilliseconds()).ToArray()), ("json", page.Select(e => Text(e.Json)).ToArray()),
            ("words", page.Select(e => PostgresCatalogSearch.Words(e.Title, e.Details)).ToArray()),
            ("rtype", relations.Select(r => r.Item1).ToArray()), ("rid", relations.Select(r => r.Item2).ToArray()),
            ("rreltype", relations.Select(r => r.Item3).ToArray()), ("rrelid", relations.Select(r => r.RelId).ToArray()),
            ("itype", rewritten.Select(e => e.Type).ToArray()), ("iid", rewritten.Select(e => e.Id).ToArray()),
            ("ntype", images.Select(i => i.Item1).ToArray()), ("nid", images.Select(i => i.Item2).ToArray()),
            ("nrole", images.Select(i => i.Role).ToArray()), ("nurl", images.Select(i => i.Url).ToArray())).ConfigureAwait(false);
        return changed;
    }

    /// <summary>Text as PostgreSQL can hold it: without NUL characters (an upstream title with one would fail the page).</summary>
    private static string Text(string text) => text.Contains('\0', StringComparison.Ordinal) ? text.Replace("\0", "", StringComparison.Ordinal) : text;

    private static string? TextOrNull(string? text) => text is null ? null : Text(text);

    /// <summary>An entity's images as stored: one per role (the last given), by role.</summary>
    private static List<(string, string?)> Images(CatalogEntity e) =>
        [.. e.Images.GroupBy(i => i.Role, StringComparer.Ordinal).Select(g => (g.Key, g.Last().Url)).OrderBy(i => i.Key, StringComparer.Ordinal)];

    /// <summary>The page's stored entities (soft-deleted ones too) with their images by role, locked in key order.</summary>
    private static async Task<Dictionary<(string, string), List<(string, string?)>>> StoredImagesAsync(NpgsqlConnection c, string catalog,
        IReadOnlyList<CatalogEntity> page, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<(string, string), List<(string, string?)>>();
        foreach (var (type, id, role, url) in await c.ListAsync("""
            SELECT e.type, e.id, i.role, i.url FROM catalog_entities e
            JOIN unnest(@type, @id) AS p(type, id) ON e.type = p.type AND e.id = p.id
            LEFT JOIN catalog_images i ON i.catalog = e.catalog AND i.type = e.type AND i.id = e.id
            WHERE e.catalog = @c ORDER BY e.type, e.id, i.role FOR UPDATE OF e
            """, r => (r.GetString(0), r.GetString(1), r.NullableString(2), r.NullableString(3)), cancellationToken,
            ("c", catalog), ("type", page.Select(e => e.Type).ToArray()), ("id", page.Select(e => e.Id).ToArray())).ConfigureAwait(false))
        {
            if (!stored.TryGetValue((type, id), out var images))
            {
                stored[(type, id)] = images = [];
            }

            if (role is not null)
            {
                images.Add((role, url));
            }
        }

        foreach (var images in stored.Values)
        {
            images.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        }

        return stored;
    }
}
