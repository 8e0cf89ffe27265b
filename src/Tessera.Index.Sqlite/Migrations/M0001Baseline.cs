using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite.Migrations;

/// <summary>The schema as it was before migrations were numbered, with IF NOT EXISTS everywhere, so a folder from
/// then (user_version 0) passes through unchanged. Includes the checksum column added to older files.</summary>
internal static class M0001Baseline
{
    public static void Apply(SqliteConnection connection)
    {
        connection.Execute("""
            CREATE TABLE IF NOT EXISTS fingerprints(
                path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL,
                content_hash TEXT NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS renditions(
                key TEXT PRIMARY KEY, ext TEXT NOT NULL, bytes INTEGER NOT NULL,
                content_hash TEXT, preset TEXT, width INTEGER, height INTEGER, gen_ms REAL,
                created_at INTEGER NOT NULL, last_access INTEGER NOT NULL) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS renditions_content ON renditions(content_hash);
            CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS negatives(
                item TEXT PRIMARY KEY, source TEXT NOT NULL, reason TEXT NOT NULL, detail TEXT NOT NULL,
                attempts INTEGER NOT NULL, first_failed_at INTEGER NOT NULL, last_failed_at INTEGER NOT NULL,
                retry_at INTEGER NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS negatives_reason ON negatives(reason);
            CREATE TABLE IF NOT EXISTS derived(
                source TEXT NOT NULL, step TEXT NOT NULL, original TEXT, detail TEXT,
                etag TEXT, last_modified INTEGER, fresh_until INTEGER, updated_at INTEGER NOT NULL,
                PRIMARY KEY(source, step)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS derived_original ON derived(original);
            CREATE TABLE IF NOT EXISTS items(
                library TEXT NOT NULL, item TEXT NOT NULL, role TEXT NOT NULL, id TEXT NOT NULL,
                sources TEXT NOT NULL, path TEXT, updated_at INTEGER NOT NULL,
                PRIMARY KEY(library, item, role)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS aliases(
                library TEXT NOT NULL, alias TEXT NOT NULL, alias_id TEXT NOT NULL, item TEXT NOT NULL, item_id TEXT NOT NULL,
                created_at INTEGER NOT NULL, PRIMARY KEY(library, alias)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS aliases_item ON aliases(library, item);
            """);
        if (connection.Scalar("SELECT count(*) FROM pragma_table_info('renditions') WHERE name = 'checksum'") == 0)
        {
            connection.Execute("ALTER TABLE renditions ADD COLUMN checksum TEXT");
        }

        connection.Execute("CREATE INDEX IF NOT EXISTS renditions_last_access ON renditions(last_access)");
    }
}
