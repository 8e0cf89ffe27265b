using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite.Migrations;

/// <summary>The junction again, in integers: <c>catalog_rel_keys</c> gives each related entity (catalog, type, id) a
/// number once, and <c>catalog_links(key, seq)</c> holds one row per relation, keyed by that number and the entity's
/// seq. A browse filtered by a tag probes or drives it with integers that the marks and the entities' rowids share,
/// where the text junction costs a string comparison per level and a lookup of the entity by its id per row (a popular
/// tag's page cost tens of milliseconds). The links replace the text junction's reverse index (related entity → entities),
/// which is dropped: one rel-major index to keep up per relation written, not two, and the smaller one (a sync inserts
/// relations all over it, and every page it touches is written again). Triggers on <c>catalog_relations</c> keep it: the text junction stays the
/// truth that upserts write and compare with; nothing else writes the links. An entity inserted after its relations
/// (a purged row synced again) gets its links then. Last, users whose rules predate rule sets get theirs
/// (<see cref="M0008CatalogRuleSetsForOldRules"/>), which needs the links.</summary>
internal static class M0011CatalogLinks
{
    public static void Apply(SqliteConnection connection)
    {
        connection.Execute(Sql);
        M0008CatalogRuleSetsForOldRules.Apply(connection);
    }

    private const string Sql = """
        CREATE TABLE catalog_rel_keys(
            key INTEGER PRIMARY KEY, catalog TEXT NOT NULL, rel_type TEXT NOT NULL, rel_id TEXT NOT NULL, UNIQUE(catalog, rel_type, rel_id));
        CREATE TABLE catalog_links(key INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(key, seq)) WITHOUT ROWID;
        INSERT INTO catalog_rel_keys(catalog, rel_type, rel_id) SELECT DISTINCT catalog, rel_type, rel_id FROM catalog_relations;
        INSERT INTO catalog_links(key, seq)
            SELECT k.key, e.seq FROM catalog_relations r
            JOIN catalog_rel_keys k ON k.catalog = r.catalog AND k.rel_type = r.rel_type AND k.rel_id = r.rel_id
            JOIN catalog_entities e ON e.catalog = r.catalog AND e.type = r.type AND e.id = r.id
            ORDER BY 1, 2;
        DROP INDEX catalog_relations_reverse;

        CREATE TRIGGER catalog_relations_link AFTER INSERT ON catalog_relations BEGIN
            INSERT INTO catalog_rel_keys(catalog, rel_type, rel_id) VALUES (NEW.catalog, NEW.rel_type, NEW.rel_id) ON CONFLICT DO NOTHING;
            INSERT INTO catalog_links(key, seq)
                SELECT k.key, e.seq FROM catalog_rel_keys k CROSS JOIN catalog_entities e
                WHERE k.catalog = NEW.catalog AND k.rel_type = NEW.rel_type AND k.rel_id = NEW.rel_id
                  AND e.catalog = NEW.catalog AND e.type = NEW.type AND e.id = NEW.id
                ON CONFLICT DO NOTHING;
        END;
        CREATE TRIGGER catalog_relations_unlink AFTER DELETE ON catalog_relations BEGIN
            DELETE FROM catalog_links WHERE (key, seq) IN (
                SELECT k.key, e.seq FROM catalog_rel_keys k CROSS JOIN catalog_entities e
                WHERE k.catalog = OLD.catalog AND k.rel_type = OLD.rel_type AND k.rel_id = OLD.rel_id
                  AND e.catalog = OLD.catalog AND e.type = OLD.type AND e.id = OLD.id);
        END;
        CREATE TRIGGER catalog_entities_link AFTER INSERT ON catalog_entities BEGIN
            INSERT INTO catalog_links(key, seq)
                SELECT k.key, NEW.seq FROM catalog_relations r CROSS JOIN catalog_rel_keys k
                WHERE r.catalog = NEW.catalog AND r.type = NEW.type AND r.id = NEW.id
                  AND k.catalog = r.catalog AND k.rel_type = r.rel_type AND k.rel_id = r.rel_id
                ON CONFLICT DO NOTHING;
        END;
        CREATE TRIGGER catalog_entities_unlink AFTER DELETE ON catalog_entities BEGIN
            DELETE FROM catalog_links WHERE (key, seq) IN (
                SELECT k.key, OLD.seq FROM catalog_relations r CROSS JOIN catalog_rel_keys k
                WHERE r.catalog = OLD.catalog AND r.type = OLD.type AND r.id = OLD.id
                  AND k.catalog = r.catalog AND k.rel_type = r.rel_type AND k.rel_id = r.rel_id);
        END;
        """;
}
