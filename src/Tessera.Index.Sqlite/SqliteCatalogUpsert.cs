using Microsoft.Data.Sqlite;
using Tessera.Core.Catalog;

namespace Tessera.Index.Sqlite;

/// <summary>Writes a page of entities in one transaction with statements prepared once per page. An unchanged row
/// (same columns, live) only gets its <c>synced_at</c> moved: the full update (which rewrites every partial sort index,
/// as they all depend on <c>deleted_at</c>) runs only when something changed. Relations and images are compared with
/// what is stored and only the differences are written, so a page synced again costs no FTS, sort index, junction or
/// counter churn.</summary>
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

    public static async Task<IReadOnlyList<CatalogEntity>> RunAsync(SqliteConnection c, string catalog, IReadOnlyList<CatalogEntity> entities,
        DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        var changed = new List<CatalogEntity>();
        await using var batch = new StatementBatch(c);
        // One row per image of an existing entity (one row of NULLs when it has none); no row when it is new.
        using var readImages = c.Command("""
            SELECT i.role, i.url FROM catalog_entities e
            LEFT JOIN catalog_images i ON i.catalog = e.catalog AND i.type = e.type AND i.id = e.id
            WHERE e.catalog = $c AND e.type = $t AND e.id = $id ORDER BY i.role
            """,
            ("$c", catalog), ("$t", ""), ("$id", ""));
        using var readRelations = c.Command("SELECT rel_type, rel_id FROM catalog_relations WHERE catalog = $c AND type = $t AND id = $id",
            ("$c", catalog), ("$t", ""), ("$id", ""));
        var seen = seenAt.ToUnixTimeMilliseconds();
        foreach (var e in entities)
        {
            readImages.Parameters["$t"].Value = e.Type;
            readImages.Parameters["$id"].Value = e.Id;
            var existed = false;
            var before = new List<(string, string?)>();
            await using (var reader = await readImages.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    existed = true;
                    if (!reader.IsDBNull(0))
                    {
                        before.Add((reader.GetString(0), reader.NullableString(1)));
                    }
                }
            }

            var after = e.Images.GroupBy(i => i.Role, StringComparer.Ordinal).Select(g => (g.Key, g.Last().Url))
                .OrderBy(i => i.Key, StringComparer.Ordinal).ToList();
            var imagesChanged = !before.SequenceEqual(after);
            if (existed && imagesChanged)
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

            await RelationsAsync(batch, readRelations, catalog, e, existed, cancellationToken).ConfigureAwait(false);
            if (imagesChanged)
            {
                await batch.ExecuteAsync("DELETE FROM catalog_images WHERE catalog = $c AND type = $t AND id = $id", cancellationToken,
                    ("$c", catalog), ("$t", e.Type), ("$id", e.Id)).ConfigureAwait(false);
                foreach (var (role, url) in after)
                {
                    await batch.ExecuteAsync("INSERT INTO catalog_images(catalog, type, id, role, url) VALUES ($c, $t, $id, $role, $url)",
                        cancellationToken, ("$c", catalog), ("$t", e.Type), ("$id", e.Id), ("$role", role), ("$url", url)).ConfigureAwait(false);
                }
            }
        }

        return changed;
    }

    /// <summary>Deletes the stored relations the entity no longer has and inserts the new ones.</summary>
    private static async Task RelationsAsync(StatementBatch batch, SqliteCommand read, string catalog, CatalogEntity e, bool existed, CancellationToken cancellationToken)
    {
        var stored = new HashSet<CatalogRelation>();
        if (existed)
        {
            read.Parameters["$t"].Value = e.Type;
            read.Parameters["$id"].Value = e.Id;
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored.Add(new CatalogRelation(reader.GetString(0), reader.GetString(1)));
            }
        }

        var wanted = e.Relations.ToHashSet();
        foreach (var gone in stored.Where(r => !wanted.Contains(r)))
        {
            await batch.ExecuteAsync("DELETE FROM catalog_relations WHERE catalog = $c AND type = $t AND id = $id AND rel_type = $rt AND rel_id = $ri",
                cancellationToken, ("$c", catalog), ("$t", e.Type), ("$id", e.Id), ("$rt", gone.Type), ("$ri", gone.Id)).ConfigureAwait(false);
        }

        foreach (var relation in wanted.Where(r => !stored.Contains(r)))
        {
            await batch.ExecuteAsync("INSERT INTO catalog_relations(catalog, type, id, rel_type, rel_id) VALUES ($c, $t, $id, $rt, $ri) ON CONFLICT DO NOTHING",
                cancellationToken, ("$c", catalog), ("$t", e.Type), ("$id", e.Id), ("$rt", relation.Type), ("$ri", relation.Id)).ConfigureAwait(false);
        }
    }
}
