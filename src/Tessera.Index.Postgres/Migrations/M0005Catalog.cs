namespace Tessera.Index.Postgres.Migrations;

/// <summary>The catalog cache (<see cref="PostgresCatalogIndex"/>), as SQLite's M0006 lays it out: one entities table
/// for every type keyed (catalog, type, id), relations indexed both ways, images by role, watermarks and per-user rules.
/// Text that is compared or ordered is <c>COLLATE "C"</c>, so ids, titles and dates order by code point as on SQLite.
/// Each sortable column has a partial index over the live rows with NULLS FIRST, ending in id: an ascending page (a
/// missing value first, as SQLite sorts it) walks it forwards and a descending one backwards. <c>search</c> is a
/// tsvector of the title's and details' words, folded (lower case, accents removed) and made by the writer
/// (<see cref="PostgresCatalogSearch"/>), so no extension (unaccent) is needed; it has a GIN index over the live rows.
/// <c>synced_at</c> has no index: the sweep reads one type's live rows rarely, and without it a page synced again whose
/// rows did not change only moves <c>synced_at</c>, a HOT update that writes no index. Times are Unix milliseconds.</summary>
internal static class M0005Catalog
{
    /// <summary>Browse's sort names and the columns they order by (ties break by id), as on SQLite.</summary>
    internal static IReadOnlyDictionary<string, string> SortColumns { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["title"] = "sort_title",
        ["date"] = "date",
        ["rating"] = "rating",
        ["duration"] = "duration",
        ["size"] = "size",
        ["count"] = "count",
        ["updated"] = "updated_utc",
        ["created"] = "created_utc",
        ["id"] = "id",
    };

    public static string Sql() => $"""
        CREATE TABLE catalog_entities(
            catalog text COLLATE "C" NOT NULL, type text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL,
            title text NOT NULL, sort_title text COLLATE "C" NOT NULL, details text, date text COLLATE "C", rating integer,
            duration double precision, size bigint, count bigint, updated_at text NOT NULL, updated_utc bigint NOT NULL,
            created_utc bigint, json text NOT NULL, search tsvector NOT NULL, synced_at bigint NOT NULL, deleted_at bigint,
            PRIMARY KEY(catalog, type, id));
        CREATE INDEX catalog_entities_live_id ON catalog_entities(catalog, type, id) WHERE deleted_at IS NULL;
        {string.Concat(SortColumns.Values.Where(c => c != "id").Select(c => $"""
            CREATE INDEX catalog_entities_{c} ON catalog_entities(catalog, type, {c} NULLS FIRST, id) WHERE deleted_at IS NULL;

            """))}
        CREATE INDEX catalog_entities_search ON catalog_entities USING gin(search) WHERE deleted_at IS NULL;
        CREATE TABLE catalog_relations(
            catalog text COLLATE "C" NOT NULL, type text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL,
            rel_type text COLLATE "C" NOT NULL, rel_id text COLLATE "C" NOT NULL,
            PRIMARY KEY(catalog, type, id, rel_type, rel_id));
        CREATE INDEX catalog_relations_reverse ON catalog_relations(catalog, rel_type, rel_id, type, id);
        CREATE TABLE catalog_images(
            catalog text COLLATE "C" NOT NULL, type text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL,
            role text COLLATE "C" NOT NULL, url text, PRIMARY KEY(catalog, type, id, role));
        CREATE TABLE catalog_watermarks(
            catalog text COLLATE "C" NOT NULL, type text COLLATE "C" NOT NULL, updated_since bigint, last_full_sync bigint,
            last_sync bigint, last_result text, PRIMARY KEY(catalog, type));
        CREATE TABLE catalog_rules(
            catalog text COLLATE "C" NOT NULL, user_name text COLLATE "C" NOT NULL, type text COLLATE "C" NOT NULL,
            mode text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL,
            PRIMARY KEY(catalog, user_name, mode, type, id));
        """;
}
