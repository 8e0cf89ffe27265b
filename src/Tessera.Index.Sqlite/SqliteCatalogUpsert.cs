using Microsoft.Data.Sqlite;
using Tessera.Core.Catalog;

namespace Tessera.Index.Sqlite;

/// <summary>Writes a page of entities in one transaction with prepared statements: the row (inserted, or updated in
/// place with <c>deleted_at</c> cleared), then its relations and images replaced. The FTS triggers fire only when the
/// title or details change, so a page synced again costs no index churn.</summary>
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
            if (existed && !before.SequenceEqual(after))
            {
                changed.Add(e);
            }

            await batch.ExecuteAsync(Upsert, cancellationToken, ("$c", catalog), ("$t", e.Type), ("$id", e.Id), ("$title", e.Title),
                ("$sort", e.Title.ToLowerInvariant()), ("$details", e.Details), ("$date", e.Date), ("$rating", e.Rating), ("$duration", e.DurationSeconds),
                ("$size", e.SizeBytes), ("$count", e.Count), ("$ua", e.UpdatedAt), ("$uu", e.UpdatedAtUtc.ToUnixTimeMilliseconds()),
                ("$cu", e.CreatedAtUtc?.ToUnixTimeMilliseconds()), ("$json", e.Json), ("$seen", seenAt.ToUnixTimeMilliseconds())).ConfigureAwait(false);
            await batch.ExecuteAsync("DELETE FROM catalog_relations WHERE catalog = $c AND type = $t AND id = $id", cancellationToken,
                ("$c", catalog), ("$t", e.Type), ("$id", e.Id)).ConfigureAwait(false);
            foreach (var relation in e.Relations.Distinct())
            {
                await batch.ExecuteAsync("INSERT INTO catalog_relations(catalog, type, id, rel_type, rel_id) VALUES ($c, $t, $id, $rt, $ri) ON CONFLICT DO NOTHING",
                    cancellationToken, ("$c", catalog), ("$t", e.Type), ("$id", e.Id), ("$rt", relation.Type), ("$ri", relation.Id)).ConfigureAwait(false);
            }

            await batch.ExecuteAsync("DELETE FROM catalog_images WHERE catalog = $c AND type = $t AND id = $id", cancellationToken,
                ("$c", catalog), ("$t", e.Type), ("$id", e.Id)).ConfigureAwait(false);
            foreach (var (role, url) in after)
            {
                await batch.ExecuteAsync("INSERT INTO catalog_images(catalog, type, id, role, url) VALUES ($c, $t, $id, $role, $url)",
                    cancellationToken, ("$c", catalog), ("$t", e.Type), ("$id", e.Id), ("$role", role), ("$url", url)).ConfigureAwait(false);
            }
        }

        return changed;
    }
}
