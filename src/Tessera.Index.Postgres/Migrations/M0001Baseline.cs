namespace Tessera.Index.Postgres.Migrations;

/// <summary>The tables SQLite's migrations 1, 3, 5, 9 and 12 ended with. Times keep SQLite's integer units (Unix
/// seconds, milliseconds or ticks as the column's user says) so both backends read the same values. Keys, paths and
/// item ids sort byte-wise (COLLATE "C") whatever the database's locale, so keyset pages and listings come out in the
/// same order as on SQLite.</summary>
internal static class M0001Baseline
{
    public const string Sql = """
        CREATE TABLE fingerprints(
            path text COLLATE "C" PRIMARY KEY, size bigint NOT NULL, mtime bigint NOT NULL,
            content_hash text NOT NULL, updated_at bigint NOT NULL, ctime bigint, inode bigint);
        CREATE INDEX fingerprints_content ON fingerprints(content_hash);
        CREATE TABLE renditions(
            key text COLLATE "C" PRIMARY KEY, ext text NOT NULL, bytes bigint NOT NULL,
            content_hash text, preset text, width integer, height integer, gen_ms double precision,
            created_at bigint NOT NULL, last_access bigint NOT NULL, checksum text, settings text, thumbhash text, colour text);
        CREATE INDEX renditions_content ON renditions(content_hash);
        CREATE INDEX renditions_last_access ON renditions(last_access, key);
        CREATE INDEX renditions_gen_ms ON renditions(gen_ms);
        CREATE TABLE rendition_libraries(key text COLLATE "C" NOT NULL, library text NOT NULL, PRIMARY KEY(key, library));
        CREATE TABLE counters(name text PRIMARY KEY, value bigint NOT NULL);
        CREATE TABLE negatives(
            item text COLLATE "C" PRIMARY KEY, source text NOT NULL, reason text NOT NULL, detail text NOT NULL,
            attempts integer NOT NULL, first_failed_at bigint NOT NULL, last_failed_at bigint NOT NULL,
            retry_at bigint NOT NULL, size bigint NOT NULL, mtime bigint NOT NULL);
        CREATE INDEX negatives_reason ON negatives(reason);
        CREATE TABLE derived(
            source text COLLATE "C" NOT NULL, step text NOT NULL, original text, detail text,
            etag text, last_modified bigint, fresh_until bigint, updated_at bigint NOT NULL,
            PRIMARY KEY(source, step));
        CREATE INDEX derived_original ON derived(original);
        CREATE TABLE items(
            library text COLLATE "C" NOT NULL, item text COLLATE "C" NOT NULL, role text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL,
            sources text NOT NULL, path text, updated_at bigint NOT NULL,
            PRIMARY KEY(library, item, role));
        CREATE TABLE aliases(
            library text COLLATE "C" NOT NULL, alias text COLLATE "C" NOT NULL, alias_id text COLLATE "C" NOT NULL,
            item text COLLATE "C" NOT NULL, item_id text COLLATE "C" NOT NULL,
            created_at bigint NOT NULL, PRIMARY KEY(library, alias));
        CREATE INDEX aliases_item ON aliases(library, item);
        """;
}
