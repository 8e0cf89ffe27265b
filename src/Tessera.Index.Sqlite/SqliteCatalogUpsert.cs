using Microsoft.Data.Sqlite;
using Tessera.Core.Catalog;

namespace Tessera.Index.Sqlite;

/// <summary>Writes a page of entities in one transaction with statements prepared once per page. What is stored for the
/// page (which entities exist, their images and relations) is read up front in one query each per type, not once per
/// entity. An unchanged row (same columns, live) only gets its <c>synced_at</c> moved: the full update (which rewrites
/// every partial sort index, as they all depend on <c>deleted_at</c>) runs only when something changed. Relations and
/// images are compared with what is stored and only the differences are written; new rows go in multi-row INSERTs
/// (<see cref="RowInserts"/>), so a page of new scenes costs a few dozen statements instead of ten per scene, and a page
/// synced again costs no FTS, sort index, junction or counter churn.</summary>
internal static class SqliteCatalogUpsert
{
    private const string Upsert = """
        INSERT INTO catalog_entities(catalog, type, id, title, sort_title, details, date, rating, duration, size, count,
            updated_at, updated_utc, created_utc, json, synced_at, deleted_at)
        VALUES ($c, $t, $id, $title, $sort, $details, $date, $rating, $duration, $size, $count, $ua, $uu, $cu, $json, $seen, NULL)
        ON CONFLICT(catalog, type, id) DO UPDATE SET title = excluded.title, sort_title = excluded.sort_title, details = excluded.details,
            date = excluded.date, rating = excluded.rating, duration = excluded.duration, size = excluded.size, count = excluded.count,
            updated_at = excluded.updated_at, updated_utc = excluded.updated_utc, created_utc = excluded.created_utc, json = excluded.json,
            synced_at = excluded.synced_at, deleted_at = NULL
        WHERE deleted_at IS NOT NULL OR title IS NOT excluded.title OR details IS NOT excluded.details OR date IS NOT excluded.date
            OR rating IS NOT excluded.rating OR duration IS NOT excluded.duration OR size IS NOT excluded.size OR count IS NOT excluded.count
            OR updated_at IS NOT excluded.updated_at OR updated_utc IS NOT excluded.updated_utc OR created_utc IS NOT excluded.created_utc
            OR json IS NOT excluded.json
        """;

    /// <summary>Writes one page. SQLite's default 2 MB page cache is kept: raising it to 16 MB while a page is written
    /// saved ~10% of a 100k full sync's time (43 s against 48 s) but raised the serving process's peak RSS with the
    /// catalog's size (199 → 241 MiB at 100k scenes, 298 MiB at 250k; bench/catalog-sync), and flat memory is the
    /// catalog's promise.</summary>
    public static Task<IReadOnlyList<CatalogEntity>> RunAsync(SqliteConnection c, string catalog, IReadOnlyList<CatalogEntity> entities,
        DateTimeOffset seenAt, CancellationToken cancellationToken) => WriteAsync(c, catalog, entities, seenAt, cancellationToken);

    private static async Task<IReadOnlyList<CatalogEntity>> WriteAsync(SqliteConnection c, string catalog, IReadOnlyList<CatalogEntity> entities,
        DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        var changed = new List<CatalogEntity>();
        await using var batch = new StatementBatch(c);
        var stored = await StoredAsync(c, catalog, entities, cancellationToken).ConfigureAwait(false);
        await using var relations = new RowInserts(c, "INSERT INTO catalog_relations(catalog, type, id, rel_type, rel_id) VALUES {0} ON CONFLICT DO NOTHING", catalog);
        await using var images = new RowInserts(c, "INSERT INTO catalog_images(catalog, type, id, role, url) VALUES {0}", catalog);
        var seen = seenAt.ToUnixTimeMilliseconds();
        foreach (var e in entities)
        {
            var existing = stored.GetValueOrDefault((e.Type, e.Id));
            var after = e.Images.GroupBy(i => i.Role, StringComparer.Ordinal).Select(g => (g.Key, g.Last().Url))
                .OrderBy(i => i.Key, StringComparer.Ordinal).ToList();
            var imagesChanged = !(existing?.Images ?? []).SequenceEqual(after);
            if (existing is not null && imagesChanged)
            {
                changed.Add(e);
            }

            if (await batch.ExecuteAsync(Upsert, cancellationToken, ("$c", catalog), ("$t", e.Type), ("$id", e.Id), ("$title", e.Title),
                ("$sort", e.Title.ToLowerInvariant()), ("$details", e.Details), ("$date", e.Date), ("$rating", e.Rating), ("$duration", e.DurationSeconds),
                ("$size", e.SizeBytes), ("$count", e.Count), ("$ua", e.UpdatedAt), ("$uu", e.UpdatedAtUtc.ToUnixTimeMilliseconds()),
                ("$cu", e.CreatedAtUtc?.ToUnixTimeMilliseconds()), ("$json", e.Json), ("$seen", seen)).ConfigureAwait(false) == 0)
            {
                await batch.ExecuteAsync("UPDATE catalog_entities SET synced_at = $seen WHERE catalog = $c AND type = $t AND id = $id", cancellationToken,
                    ("$c", catalog), ("$t", e.Type), ("$id", e.Id), ("$seen", seen)).ConfigureAwait(false);
            }

            var wanted = e.Relations.ToHashSet();
            var had = existing?.Relations ?? [];
            foreach (var gone in had.Where(r => !wanted.Contains(r)))
            {
                await relations.FlushAsync(cancellationToken).ConfigureAwait(false); // an earlier copy of this entity in the page may have added it
                await batch.ExecuteAsync("DELETE FROM catalog_relations WHERE catalog = $c AND type = $t AND id = $id AND rel_type = $rt AND rel_id = $ri",
                    cancellationToken, ("$c", catalog), ("$t", e.Type), ("$id", e.Id), ("$rt", gone.Type), ("$ri", gone.Id)).ConfigureAwait(false);
            }

            foreach (var relation in wanted.Where(r => !had.Contains(r)))
            {
                await relations.AddAsync(cancellationToken, e.Type, e.Id, relation.Type, relation.Id).ConfigureAwait(false);
            }

            if (imagesChanged)
            {
                if (existing is { Images.Count: > 0 })
                {
                    await images.FlushAsync(cancellationToken).ConfigureAwait(false);
                    await batch.ExecuteAsync("DELETE FROM catalog_images WHERE catalog = $c AND type = $t AND id = $id", cancellationToken,
                        ("$c", catalog), ("$t", e.Type), ("$id", e.Id)).ConfigureAwait(false);
                }

                foreach (var (role, url) in after)
                {
                    await images.AddAsync(cancellationToken, e.Type, e.Id, role, url).ConfigureAwait(false);
                }
            }

            // A later copy of the same entity in this page compares with what this one wrote.
            stored[(e.Type, e.Id)] = new Stored(after, wanted);
        }

        await relations.FlushAsync(cancellationToken).ConfigureAwait(false);
        await images.FlushAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    private sealed record Stored(List<(string Role, string? Url)> Images, HashSet<CatalogRelation> Relations);

    /// <summary>The page's entities that exist, with their images (by role) and relations, read with one query each per type
    /// (and 500 ids).</summary>
    private static async Task<Dictionary<(string, string), Stored>> StoredAsync(SqliteConnection c, string catalog, IReadOnlyList<CatalogEntity> entities,
        CancellationToken cancellationToken)
    {
        var stored = new Dictionary<(string, string), Stored>();
        // Chunks of 500 ids keep under the oldest SQLite's limit of 999 parameters.
        foreach (var (type, ids) in entities.GroupBy(e => e.Type, StringComparer.Ordinal)
            .SelectMany(g => g.Select(e => e.Id).Distinct(StringComparer.Ordinal).Chunk(500).Select(ids => (g.Key, ids))))
        {
            var list = string.Join(", ", ids.Select((_, i) => $"$i{i}"));
            (string, object?)[] parameters = [("$c", catalog), ("$t", type), .. ids.Select((id, i) => ($"$i{i}", (object?)id))];
            // One row per image of an existing entity (one row of NULLs when it has none).
            foreach (var (id, role, url) in await c.ListAsync($"""
                SELECT e.id, i.role, i.url FROM catalog_entities e
                LEFT JOIN catalog_images i ON i.catalog = e.catalog AND i.type = e.type AND i.id = e.id
                WHERE e.catalog = $c AND e.type = $t AND e.id IN ({list}) ORDER BY e.id, i.role
                """, r => (r.GetString(0), r.NullableString(1), r.NullableString(2)), cancellationToken, parameters).ConfigureAwait(false))
            {
                if (!stored.TryGetValue((type, id), out var entity))
                {
                    stored[(type, id)] = entity = new Stored([], []);
                }

                if (role is not null)
                {
                    entity.Images.Add((role, url));
                }
            }

            if (stored.Count == 0)
            {
                continue; // new entities have no relations to read
            }

            foreach (var (id, relation) in await c.ListAsync($"SELECT id, rel_type, rel_id FROM catalog_relations WHERE catalog = $c AND type = $t AND id IN ({list})",
                r => (r.GetString(0), new CatalogRelation(r.GetString(1), r.GetString(2))), cancellationToken, parameters).ConfigureAwait(false))
            {
                if (stored.TryGetValue((type, id), out var entity))
                {
                    entity.Relations.Add(relation);
                }
            }
        }

        return stored;
    }
}
