using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Tessera.Core.Index;

namespace Tessera.Index.Sqlite.Migrations;

/// <summary>Totals kept by triggers as the tables change, so stats never scan the renditions: per preset the
/// renditions (originals excluded), the rows and their bytes; the fingerprinted items; the negatives per reason; and
/// a histogram of generation times in <see cref="GenerationHistogram"/>'s buckets. Filled once from the rows there.
/// Also indexes for the slowest-sources report.</summary>
internal static class M0002Stats
{
    /// <summary>The preset rows rebuilt from files (which have none) are counted under, as the summary always named them.</summary>
    public const string Unknown = "(rebuilt)";

    public static void Apply(SqliteConnection connection)
    {
        var newBucket = BucketOf("NEW.gen_ms");
        var oldBucket = BucketOf("OLD.gen_ms");
        connection.Execute($"""
            CREATE TABLE rendition_totals(
                preset TEXT PRIMARY KEY, renditions INTEGER NOT NULL, stored INTEGER NOT NULL, bytes INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE row_totals(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE negative_totals(reason TEXT PRIMARY KEY, entries INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE generation_histogram(bucket INTEGER PRIMARY KEY, renditions INTEGER NOT NULL);
            CREATE INDEX renditions_gen_ms ON renditions(gen_ms);
            CREATE INDEX fingerprints_content ON fingerprints(content_hash);

            INSERT INTO rendition_totals(preset, renditions, stored, bytes)
                SELECT coalesce(preset, '{Unknown}'), sum(ext <> 'orig'), count(*), sum(bytes) FROM renditions GROUP BY 1;
            INSERT INTO row_totals(name, value) VALUES ('fingerprints', (SELECT count(*) FROM fingerprints));
            INSERT INTO negative_totals(reason, entries) SELECT reason, count(*) FROM negatives GROUP BY reason;
            INSERT INTO generation_histogram(bucket, renditions)
                SELECT {BucketOf("gen_ms")}, count(*) FROM renditions WHERE gen_ms IS NOT NULL GROUP BY 1;

            CREATE TRIGGER renditions_totals_insert AFTER INSERT ON renditions BEGIN
                {AddRendition("NEW")}
                INSERT INTO generation_histogram(bucket, renditions) SELECT {newBucket}, 1 WHERE NEW.gen_ms IS NOT NULL
                    ON CONFLICT(bucket) DO UPDATE SET renditions = renditions + 1;
            END;
            CREATE TRIGGER renditions_totals_delete AFTER DELETE ON renditions BEGIN
                {RemoveRendition("OLD")}
                UPDATE generation_histogram SET renditions = renditions - 1 WHERE OLD.gen_ms IS NOT NULL AND bucket = {oldBucket};
            END;
            CREATE TRIGGER renditions_totals_update AFTER UPDATE OF ext, bytes, preset ON renditions
            WHEN OLD.ext IS NOT NEW.ext OR OLD.bytes IS NOT NEW.bytes OR OLD.preset IS NOT NEW.preset BEGIN
                {RemoveRendition("OLD")}
                {AddRendition("NEW")}
            END;
            CREATE TRIGGER renditions_histogram_update AFTER UPDATE OF gen_ms ON renditions
            WHEN OLD.gen_ms IS NOT NEW.gen_ms BEGIN
                UPDATE generation_histogram SET renditions = renditions - 1 WHERE OLD.gen_ms IS NOT NULL AND bucket = {oldBucket};
                INSERT INTO generation_histogram(bucket, renditions) SELECT {newBucket}, 1 WHERE NEW.gen_ms IS NOT NULL
                    ON CONFLICT(bucket) DO UPDATE SET renditions = renditions + 1;
            END;

            CREATE TRIGGER fingerprints_totals_insert AFTER INSERT ON fingerprints BEGIN
                UPDATE row_totals SET value = value + 1 WHERE name = 'fingerprints';
            END;
            CREATE TRIGGER fingerprints_totals_delete AFTER DELETE ON fingerprints BEGIN
                UPDATE row_totals SET value = value - 1 WHERE name = 'fingerprints';
            END;

            CREATE TRIGGER negatives_totals_insert AFTER INSERT ON negatives BEGIN
                {AddNegative("NEW")}
            END;
            CREATE TRIGGER negatives_totals_delete AFTER DELETE ON negatives BEGIN
                {RemoveNegative("OLD")}
            END;
            CREATE TRIGGER negatives_totals_update AFTER UPDATE OF reason ON negatives WHEN OLD.reason IS NOT NEW.reason BEGIN
                {RemoveNegative("OLD")}
                {AddNegative("NEW")}
            END;
            """);
    }

    /// <summary>The histogram bucket of a time, as a CASE ladder over <see cref="GenerationHistogram.Bounds"/>:
    /// SQLite's math functions are optional at build time, comparisons are not.</summary>
    internal static string BucketOf(string ms)
    {
        var sql = new StringBuilder("CASE");
        var bounds = GenerationHistogram.Bounds;
        for (var i = 0; i < bounds.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $" WHEN {ms} < {bounds[i].ToString("R", CultureInfo.InvariantCulture)} THEN {i}");
        }

        return sql.Append(CultureInfo.InvariantCulture, $" ELSE {bounds.Count} END").ToString();
    }

    private static string AddRendition(string row) => $"""
        INSERT INTO rendition_totals(preset, renditions, stored, bytes) VALUES (coalesce({row}.preset, '{Unknown}'), {row}.ext <> 'orig', 1, {row}.bytes)
            ON CONFLICT(preset) DO UPDATE SET renditions = renditions + excluded.renditions, stored = stored + 1, bytes = bytes + excluded.bytes;
        """;

    private static string RemoveRendition(string row) => $"""
        UPDATE rendition_totals SET renditions = renditions - ({row}.ext <> 'orig'), stored = stored - 1, bytes = bytes - {row}.bytes
            WHERE preset = coalesce({row}.preset, '{Unknown}');
        """;

    private static string AddNegative(string row) => $"""
        INSERT INTO negative_totals(reason, entries) VALUES ({row}.reason, 1) ON CONFLICT(reason) DO UPDATE SET entries = entries + 1;
        """;

    private static string RemoveNegative(string row) => $"""
        UPDATE negative_totals SET entries = entries - 1 WHERE reason = {row}.reason;
        """;
}
