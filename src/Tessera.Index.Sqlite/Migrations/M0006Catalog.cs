using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite.Migrations;

/// <summary>The catalog cache (<see cref="SqliteCatalogIndex"/>). One entities table for every type, keyed (catalog,
/// type, id), not six: the six types share the same browsing columns, so one set of indexes and one set of queries
/// serve them all, and a new type or upstream adds rows, not tables. Sortable columns have partial indexes over the live
/// rows ending in id, so a sorted page is an index walk and ties never skip or repeat. Relations are a junction indexed
/// both ways (an entity's edges; everything pointing at a tag). Full-text search is an FTS5 external-content table over
/// title and details kept by triggers, accent-insensitive (unicode61 remove_diacritics 2); it is keyed by the entities'
/// integer seq, which nothing else uses. Times are Unix milliseconds. Nothing here means something only SQLite could
/// mean: PostgreSQL has partial indexes, and tsvector with unaccent for the same search.</summary>
internal static class M0006Catalog
{
    /// <summary>Browse's sort names and the columns they order by (ties break by id).</summary>
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

    public static void Apply(SqliteConnection connection)
    {
        var sortIndexes = string.Concat(SortColumns.Values.Where(c => c != "id").Select(c => $"""
            CREATE INDEX catalog_entities_{c} ON catalog_entities(catalog, type, {c}, id) WHERE deleted_at IS NULL;

            """));
        connection.Execute($"""
            CREATE TABLE catalog_entities(
                seq INTEGER PRIMARY KEY, catalog TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,
                title TEXT NOT NULL, sort_title TEXT NOT NULL, details TEXT, date TEXT, rating INTEGER, duration REAL, size INTEGER,
                count INTEGER, updated_at TEXT NOT NULL, updated_utc INTEGER NOT NULL, created_utc INTEGER, json TEXT NOT NULL,
                synced_at INTEGER NOT NULL, deleted_at INTEGER,
                UNIQUE(catalog, type, id));
            CREATE INDEX catalog_entities_live_id ON catalog_entities(catalog, type, id) WHERE deleted_at IS NULL;
            CREATE INDEX catalog_entities_synced ON catalog_entities(catalog, type, synced_at) WHERE deleted_at IS NULL;
            {sortIndexes}
            CREATE TABLE catalog_relations(
                catalog TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, rel_type TEXT NOT NULL, rel_id TEXT NOT NULL,
                PRIMARY KEY(catalog, type, id, rel_type, rel_id)) WITHOUT ROWID;
            CREATE INDEX catalog_relations_reverse ON catalog_relations(catalog, rel_type, rel_id, type, id);

            CREATE TABLE catalog_images(
                catalog TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, role TEXT NOT NULL, url TEXT,
                PRIMARY KEY(catalog, type, id, role)) WITHOUT ROWID;

            CREATE TABLE catalog_watermarks(
                catalog TEXT NOT NULL, type TEXT NOT NULL, updated_since INTEGER, last_full_sync INTEGER, last_sync INTEGER,
                last_result TEXT, PRIMARY KEY(catalog, type)) WITHOUT ROWID;

            CREATE TABLE catalog_rules(
                catalog TEXT NOT NULL, user_name TEXT NOT NULL, type TEXT NOT NULL, mode TEXT NOT NULL, id TEXT NOT NULL,
                PRIMARY KEY(catalog, user_name, mode, type, id)) WITHOUT ROWID;

            CREATE VIRTUAL TABLE catalog_fts USING fts5(title, details, content='catalog_entities', content_rowid='seq',
                tokenize='unicode61 remove_diacritics 2');
            CREATE TRIGGER catalog_fts_insert AFTER INSERT ON catalog_entities BEGIN
                INSERT INTO catalog_fts(rowid, title, details) VALUES (NEW.seq, NEW.title, NEW.details);
            END;
            CREATE TRIGGER catalog_fts_delete AFTER DELETE ON catalog_entities BEGIN
                INSERT INTO catalog_fts(catalog_fts, rowid, title, details) VALUES ('delete', OLD.seq, OLD.title, OLD.details);
            END;
            CREATE TRIGGER catalog_fts_update AFTER UPDATE OF title, details ON catalog_entities
            WHEN OLD.title IS NOT NEW.title OR OLD.details IS NOT NEW.details BEGIN
                INSERT INTO catalog_fts(catalog_fts, rowid, title, details) VALUES ('delete', OLD.seq, OLD.title, OLD.details);
                INSERT INTO catalog_fts(rowid, title, details) VALUES (NEW.seq, NEW.title, NEW.details);
            END;
            """);
    }
}
