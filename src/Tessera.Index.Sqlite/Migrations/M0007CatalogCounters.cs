using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite.Migrations;

/// <summary>Keeps the catalog fast at 250k scenes: what a request would otherwise recount is kept by triggers, so no
/// browse or stats request does work proportional to the catalog or to a user's hidden scenes.
/// <list type="bullet">
/// <item><c>catalog_live</c>: live rows per (catalog, type) and the live rows' total duration and size (insert, soft
/// delete, resurrect, delete, edit), so an unfiltered browse never runs <c>count(*)</c>.</item>
/// <item><c>catalog_rel_counts</c>: per related entity (a tag, a studio…) how many live entities of each type relate
/// to it, so the stats' top lists sort a few thousand counters instead of counting the junction. (No index on the count: it
/// would move on every relation written, and sorting the counters of one related type is cheap.)</item>
/// <item>Rule sets: users with identical rules share one <c>catalog_rule_sets</c> row (keyed by the normalized rules),
/// its rules flattened into <c>catalog_set_rules</c> (the related id and the mark it gives). <c>catalog_marks</c> holds,
/// per set, the seqs of the scenes and galleries each rule touches, with a hit count: mark 'x' for any excluded relation
/// (hidden), or the included type for an include rule (shown when marked by every included type). Triggers on the
/// junction keep the marks exact as relations come and go; a new set is filled with one INSERT…SELECT. Nothing is
/// copied per user: rows exist only for marked scenes, once per distinct rule set. <c>catalog_marks_live</c> counts
/// each set's live marked rows per type, so an excluding user's total is live − hidden, with no per-request scan.</item>
/// </list>
/// Everything is a counter table or a trigger that PostgreSQL has as well; M0006 is unchanged.</summary>
internal static class M0007CatalogCounters
{
    public static void Apply(SqliteConnection connection) => connection.Execute("""
        CREATE TABLE catalog_live(
            catalog TEXT NOT NULL, type TEXT NOT NULL, n INTEGER NOT NULL, duration REAL NOT NULL, size INTEGER NOT NULL,
            PRIMARY KEY(catalog, type)) WITHOUT ROWID;
        INSERT INTO catalog_live(catalog, type, n, duration, size)
            SELECT catalog, type, count(*), coalesce(sum(duration), 0), coalesce(sum(size), 0) FROM catalog_entities
            WHERE deleted_at IS NULL GROUP BY catalog, type;
        CREATE TRIGGER catalog_live_insert AFTER INSERT ON catalog_entities WHEN NEW.deleted_at IS NULL BEGIN
            INSERT INTO catalog_live(catalog, type, n, duration, size) VALUES (NEW.catalog, NEW.type, 1, coalesce(NEW.duration, 0), coalesce(NEW.size, 0))
            ON CONFLICT(catalog, type) DO UPDATE SET n = n + 1, duration = duration + excluded.duration, size = size + excluded.size;
        END;
        CREATE TRIGGER catalog_live_delete AFTER DELETE ON catalog_entities WHEN OLD.deleted_at IS NULL BEGIN
            UPDATE catalog_live SET n = n - 1, duration = duration - coalesce(OLD.duration, 0), size = size - coalesce(OLD.size, 0)
            WHERE catalog = OLD.catalog AND type = OLD.type;
        END;
        CREATE TRIGGER catalog_live_update AFTER UPDATE OF deleted_at, duration, size ON catalog_entities
        WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) OR (NEW.deleted_at IS NULL AND (OLD.duration IS NOT NEW.duration OR OLD.size IS NOT NEW.size)) BEGIN
            INSERT INTO catalog_live(catalog, type, n, duration, size) VALUES (NEW.catalog, NEW.type,
                (NEW.deleted_at IS NULL) - (OLD.deleted_at IS NULL),
                CASE WHEN NEW.deleted_at IS NULL THEN coalesce(NEW.duration, 0) ELSE 0 END - CASE WHEN OLD.deleted_at IS NULL THEN coalesce(OLD.duration, 0) ELSE 0 END,
                CASE WHEN NEW.deleted_at IS NULL THEN coalesce(NEW.size, 0) ELSE 0 END - CASE WHEN OLD.deleted_at IS NULL THEN coalesce(OLD.size, 0) ELSE 0 END)
            ON CONFLICT(catalog, type) DO UPDATE SET n = n + excluded.n, duration = duration + excluded.duration, size = size + excluded.size;
        END;

        CREATE TABLE catalog_rel_counts(
            catalog TEXT NOT NULL, rel_type TEXT NOT NULL, rel_id TEXT NOT NULL, type TEXT NOT NULL, n INTEGER NOT NULL,
            PRIMARY KEY(catalog, rel_type, rel_id, type)) WITHOUT ROWID;
        INSERT INTO catalog_rel_counts(catalog, rel_type, rel_id, type, n)
            SELECT r.catalog, r.rel_type, r.rel_id, r.type, count(*) FROM catalog_relations r
            JOIN catalog_entities e ON e.catalog = r.catalog AND e.type = r.type AND e.id = r.id AND e.deleted_at IS NULL
            GROUP BY r.catalog, r.rel_type, r.rel_id, r.type;

        CREATE TABLE catalog_rule_sets(set_id INTEGER PRIMARY KEY, catalog TEXT NOT NULL, rules_key TEXT NOT NULL, UNIQUE(catalog, rules_key));
        CREATE TABLE catalog_user_sets(
            catalog TEXT NOT NULL, user_name TEXT NOT NULL, set_id INTEGER NOT NULL, PRIMARY KEY(catalog, user_name)) WITHOUT ROWID;
        CREATE INDEX catalog_user_sets_set ON catalog_user_sets(set_id);
        CREATE TABLE catalog_set_rules(
            catalog TEXT NOT NULL, rel_type TEXT NOT NULL, rel_id TEXT NOT NULL, set_id INTEGER NOT NULL, mark TEXT NOT NULL,
            PRIMARY KEY(catalog, rel_type, rel_id, set_id, mark)) WITHOUT ROWID;
        CREATE INDEX catalog_set_rules_set ON catalog_set_rules(set_id);
        CREATE TABLE catalog_marks(
            set_id INTEGER NOT NULL, mark TEXT NOT NULL, seq INTEGER NOT NULL, hits INTEGER NOT NULL,
            PRIMARY KEY(set_id, mark, seq)) WITHOUT ROWID;
        CREATE INDEX catalog_marks_seq ON catalog_marks(seq);
        CREATE TABLE catalog_marks_live(
            set_id INTEGER NOT NULL, mark TEXT NOT NULL, type TEXT NOT NULL, n INTEGER NOT NULL,
            PRIMARY KEY(set_id, mark, type)) WITHOUT ROWID;

        CREATE TRIGGER catalog_relations_insert AFTER INSERT ON catalog_relations BEGIN
            INSERT INTO catalog_rel_counts(catalog, rel_type, rel_id, type, n)
                SELECT NEW.catalog, NEW.rel_type, NEW.rel_id, NEW.type, 1 FROM catalog_entities e
                WHERE e.catalog = NEW.catalog AND e.type = NEW.type AND e.id = NEW.id AND e.deleted_at IS NULL
                ON CONFLICT(catalog, rel_type, rel_id, type) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER catalog_relations_delete AFTER DELETE ON catalog_relations BEGIN
            UPDATE catalog_rel_counts SET n = n - 1
            WHERE catalog = OLD.catalog AND rel_type = OLD.rel_type AND rel_id = OLD.rel_id AND type = OLD.type
              AND EXISTS (SELECT 1 FROM catalog_entities e WHERE e.catalog = OLD.catalog AND e.type = OLD.type AND e.id = OLD.id AND e.deleted_at IS NULL);
        END;
        CREATE TRIGGER catalog_relations_mark AFTER INSERT ON catalog_relations WHEN NEW.type IN ('scenes', 'galleries')
            AND EXISTS (SELECT 1 FROM catalog_set_rules x WHERE x.catalog = NEW.catalog AND x.rel_type = NEW.rel_type AND x.rel_id = NEW.rel_id) BEGIN
            INSERT INTO catalog_marks(set_id, mark, seq, hits)
                SELECT x.set_id, x.mark, e.seq, 1 FROM catalog_set_rules x CROSS JOIN catalog_entities e
                WHERE x.catalog = NEW.catalog AND x.rel_type = NEW.rel_type AND x.rel_id = NEW.rel_id
                  AND e.catalog = NEW.catalog AND e.type = NEW.type AND e.id = NEW.id
                ON CONFLICT(set_id, mark, seq) DO UPDATE SET hits = hits + 1;
        END;
        CREATE TRIGGER catalog_relations_unmark AFTER DELETE ON catalog_relations WHEN OLD.type IN ('scenes', 'galleries')
            AND EXISTS (SELECT 1 FROM catalog_set_rules x WHERE x.catalog = OLD.catalog AND x.rel_type = OLD.rel_type AND x.rel_id = OLD.rel_id) BEGIN
            UPDATE catalog_marks SET hits = hits - 1
            WHERE (set_id, mark, seq) IN (
                SELECT x.set_id, x.mark, e.seq FROM catalog_set_rules x CROSS JOIN catalog_entities e
                WHERE x.catalog = OLD.catalog AND x.rel_type = OLD.rel_type AND x.rel_id = OLD.rel_id
                  AND e.catalog = OLD.catalog AND e.type = OLD.type AND e.id = OLD.id);
        END;
        CREATE TRIGGER catalog_marks_unhit AFTER UPDATE OF hits ON catalog_marks WHEN NEW.hits <= 0 BEGIN
            DELETE FROM catalog_marks WHERE set_id = NEW.set_id AND mark = NEW.mark AND seq = NEW.seq;
        END;
        CREATE TRIGGER catalog_marks_insert AFTER INSERT ON catalog_marks BEGIN
            INSERT INTO catalog_marks_live(set_id, mark, type, n)
                SELECT NEW.set_id, NEW.mark, e.type, 1 FROM catalog_entities e WHERE e.seq = NEW.seq AND e.deleted_at IS NULL
                ON CONFLICT(set_id, mark, type) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER catalog_marks_delete AFTER DELETE ON catalog_marks BEGIN
            UPDATE catalog_marks_live SET n = n - 1
            WHERE set_id = OLD.set_id AND mark = OLD.mark AND type = (SELECT e.type FROM catalog_entities e WHERE e.seq = OLD.seq AND e.deleted_at IS NULL);
        END;
        CREATE TRIGGER catalog_entities_liveness AFTER UPDATE OF deleted_at ON catalog_entities
        WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) BEGIN
            UPDATE catalog_rel_counts SET n = n + (NEW.deleted_at IS NULL) - (OLD.deleted_at IS NULL)
            WHERE (catalog, rel_type, rel_id, type) IN (
                SELECT r.catalog, r.rel_type, r.rel_id, r.type FROM catalog_relations r WHERE r.catalog = NEW.catalog AND r.type = NEW.type AND r.id = NEW.id);
            UPDATE catalog_marks_live SET n = n + (NEW.deleted_at IS NULL) - (OLD.deleted_at IS NULL)
            WHERE type = NEW.type AND (set_id, mark) IN (SELECT m.set_id, m.mark FROM catalog_marks m WHERE m.seq = NEW.seq);
        END;
        CREATE TRIGGER catalog_entities_forget AFTER DELETE ON catalog_entities BEGIN
            UPDATE catalog_rel_counts SET n = n - 1
            WHERE OLD.deleted_at IS NULL AND (catalog, rel_type, rel_id, type) IN (
                SELECT r.catalog, r.rel_type, r.rel_id, r.type FROM catalog_relations r WHERE r.catalog = OLD.catalog AND r.type = OLD.type AND r.id = OLD.id);
            UPDATE catalog_marks_live SET n = n - 1
            WHERE OLD.deleted_at IS NULL AND type = OLD.type AND (set_id, mark) IN (SELECT m.set_id, m.mark FROM catalog_marks m WHERE m.seq = OLD.seq);
            DELETE FROM catalog_marks WHERE seq = OLD.seq;
        END;
        """);
}
