using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite.Migrations;

/// <summary>Per rule set, how many live scenes (or galleries) of each mark each related entity has:
/// <c>catalog_mark_counts(set_id, mark, rel_type, rel_id, type, n)</c>. With it a browse filtered by a tag counts what
/// a user sees without visiting the tag's scenes: an excluding user sees the tag's live scenes (<c>catalog_rel_counts</c>)
/// less its hidden ones (mark 'x'); a user including one type sees that mark's count. A popular tag has a fifth of the
/// library, so counting through the junction cost tens of milliseconds a page.
/// <para>Kept exact by the triggers that already follow marks, relations and liveness. A relation and the mark it may
/// create are counted in one trigger, in order: first the relation against the marks its entity already has, then the
/// new marks, each of which counts all of its entity's relations (this one included) — two separate triggers would
/// count the pair twice or not at all depending on which fired first. Deleting runs the other way round.</para></summary>
internal static class M0010CatalogMarkCounts
{
    private const string Upsert = "ON CONFLICT(set_id, mark, rel_type, rel_id, type) DO UPDATE SET n = n + excluded.n";

    public static void Apply(SqliteConnection connection) => connection.Execute($"""
        CREATE TABLE catalog_mark_counts(
            set_id INTEGER NOT NULL, mark TEXT NOT NULL, rel_type TEXT NOT NULL, rel_id TEXT NOT NULL, type TEXT NOT NULL, n INTEGER NOT NULL,
            PRIMARY KEY(set_id, mark, rel_type, rel_id, type)) WITHOUT ROWID;
        INSERT INTO catalog_mark_counts(set_id, mark, rel_type, rel_id, type, n)
            SELECT m.set_id, m.mark, r.rel_type, r.rel_id, r.type, count(*) FROM catalog_marks m
            JOIN catalog_entities e ON e.seq = m.seq AND e.deleted_at IS NULL
            JOIN catalog_relations r ON r.catalog = e.catalog AND r.type = e.type AND r.id = e.id
            GROUP BY m.set_id, m.mark, r.rel_type, r.rel_id, r.type;

        DROP TRIGGER catalog_relations_mark;
        CREATE TRIGGER catalog_relations_mark AFTER INSERT ON catalog_relations WHEN NEW.type IN ('scenes', 'galleries') BEGIN
            INSERT INTO catalog_mark_counts(set_id, mark, rel_type, rel_id, type, n)
                SELECT m.set_id, m.mark, NEW.rel_type, NEW.rel_id, NEW.type, 1 FROM catalog_entities e CROSS JOIN catalog_marks m
                WHERE e.catalog = NEW.catalog AND e.type = NEW.type AND e.id = NEW.id AND e.deleted_at IS NULL AND m.seq = e.seq
                {Upsert};
            INSERT INTO catalog_marks(set_id, mark, seq, hits)
                SELECT x.set_id, x.mark, e.seq, 1 FROM catalog_set_rules x CROSS JOIN catalog_entities e
                WHERE x.catalog = NEW.catalog AND x.rel_type = NEW.rel_type AND x.rel_id = NEW.rel_id
                  AND e.catalog = NEW.catalog AND e.type = NEW.type AND e.id = NEW.id
                ON CONFLICT(set_id, mark, seq) DO UPDATE SET hits = hits + 1;
        END;

        DROP TRIGGER catalog_relations_unmark;
        CREATE TRIGGER catalog_relations_unmark AFTER DELETE ON catalog_relations WHEN OLD.type IN ('scenes', 'galleries') BEGIN
            UPDATE catalog_mark_counts SET n = n - 1
            WHERE rel_type = OLD.rel_type AND rel_id = OLD.rel_id AND type = OLD.type AND (set_id, mark) IN (
                SELECT m.set_id, m.mark FROM catalog_entities e CROSS JOIN catalog_marks m
                WHERE e.catalog = OLD.catalog AND e.type = OLD.type AND e.id = OLD.id AND e.deleted_at IS NULL AND m.seq = e.seq);
            UPDATE catalog_marks SET hits = hits - 1
            WHERE (set_id, mark, seq) IN (
                SELECT x.set_id, x.mark, e.seq FROM catalog_set_rules x CROSS JOIN catalog_entities e
                WHERE x.catalog = OLD.catalog AND x.rel_type = OLD.rel_type AND x.rel_id = OLD.rel_id
                  AND e.catalog = OLD.catalog AND e.type = OLD.type AND e.id = OLD.id);
        END;

        CREATE TRIGGER catalog_marks_count AFTER INSERT ON catalog_marks BEGIN
            INSERT INTO catalog_mark_counts(set_id, mark, rel_type, rel_id, type, n)
                SELECT NEW.set_id, NEW.mark, r.rel_type, r.rel_id, r.type, 1 FROM catalog_entities e CROSS JOIN catalog_relations r
                WHERE e.seq = NEW.seq AND e.deleted_at IS NULL AND r.catalog = e.catalog AND r.type = e.type AND r.id = e.id
                {Upsert};
        END;
        CREATE TRIGGER catalog_marks_uncount AFTER DELETE ON catalog_marks BEGIN
            UPDATE catalog_mark_counts SET n = n - 1
            WHERE set_id = OLD.set_id AND mark = OLD.mark AND (rel_type, rel_id, type) IN (
                SELECT r.rel_type, r.rel_id, r.type FROM catalog_entities e CROSS JOIN catalog_relations r
                WHERE e.seq = OLD.seq AND e.deleted_at IS NULL AND r.catalog = e.catalog AND r.type = e.type AND r.id = e.id);
        END;

        CREATE TRIGGER catalog_entities_mark_liveness AFTER UPDATE OF deleted_at ON catalog_entities
        WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) BEGIN
            INSERT INTO catalog_mark_counts(set_id, mark, rel_type, rel_id, type, n)
                SELECT m.set_id, m.mark, r.rel_type, r.rel_id, r.type, (NEW.deleted_at IS NULL) - (OLD.deleted_at IS NULL)
                FROM catalog_marks m CROSS JOIN catalog_relations r
                WHERE m.seq = NEW.seq AND r.catalog = NEW.catalog AND r.type = NEW.type AND r.id = NEW.id
                {Upsert};
        END;
        CREATE TRIGGER catalog_entities_mark_forget BEFORE DELETE ON catalog_entities WHEN OLD.deleted_at IS NULL BEGIN
            UPDATE catalog_mark_counts SET n = n - 1
            WHERE (set_id, mark, rel_type, rel_id, type) IN (
                SELECT m.set_id, m.mark, r.rel_type, r.rel_id, r.type FROM catalog_marks m CROSS JOIN catalog_relations r
                WHERE m.seq = OLD.seq AND r.catalog = OLD.catalog AND r.type = OLD.type AND r.id = OLD.id);
        END;
        """);
}
