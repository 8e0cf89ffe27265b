using System.Globalization;
using System.Text;
using Tessera.Core.Index;

namespace Tessera.Index.Postgres.Migrations;

/// <summary>The totals SQLite's migration 2 keeps, kept here by statement-level triggers over transition tables: one
/// aggregated upsert per statement (a rebuild of a million rows is one update per preset, not a million), rows only
/// where something changed (a touch of last_access writes no total), and in key order, so concurrent writers lock the
/// total rows in the same order.</summary>
internal static class M0002Stats
{
    /// <summary>The preset rows rebuilt from files (which have none) are counted under, as on SQLite.</summary>
    public const string Unknown = "(rebuilt)";

    public static string Sql() => $"""
        CREATE TABLE rendition_totals(preset text PRIMARY KEY, renditions bigint NOT NULL, stored bigint NOT NULL, bytes bigint NOT NULL);
        CREATE TABLE row_totals(name text PRIMARY KEY, value bigint NOT NULL);
        CREATE TABLE negative_totals(reason text PRIMARY KEY, entries bigint NOT NULL);
        CREATE TABLE generation_histogram(bucket integer PRIMARY KEY, renditions bigint NOT NULL);
        INSERT INTO row_totals(name, value) VALUES ('fingerprints', 0);

        CREATE FUNCTION generation_bucket(ms double precision) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT {BucketOf("ms")} $$;

        {Functions("renditions", Renditions)}
        {Functions("fingerprints", Fingerprints)}
        {Functions("negatives", Negatives)}
        """;

    /// <summary>Adds the signed changes of a statement (new rows +1, old rows −1) to the totals.</summary>
    private static string Renditions(string changes) => $"""
        INSERT INTO rendition_totals AS t(preset, renditions, stored, bytes)
            SELECT coalesce(preset, '{Unknown}'), sum(sign * (ext <> 'orig')::int), sum(sign), sum(sign * bytes) FROM ({changes}) c
            GROUP BY 1 HAVING sum(sign * (ext <> 'orig')::int) <> 0 OR sum(sign) <> 0 OR sum(sign * bytes) <> 0 ORDER BY 1
            ON CONFLICT(preset) DO UPDATE SET renditions = t.renditions + excluded.renditions, stored = t.stored + excluded.stored,
                bytes = t.bytes + excluded.bytes;
        INSERT INTO generation_histogram AS h(bucket, renditions)
            SELECT generation_bucket(gen_ms), sum(sign) FROM ({changes}) c WHERE gen_ms IS NOT NULL
            GROUP BY 1 HAVING sum(sign) <> 0 ORDER BY 1
            ON CONFLICT(bucket) DO UPDATE SET renditions = h.renditions + excluded.renditions;
        """;

    private static string Fingerprints(string changes) => $"""
        UPDATE row_totals SET value = value + d.n FROM (SELECT coalesce(sum(sign), 0) AS n FROM ({changes}) c) d
            WHERE name = 'fingerprints' AND d.n <> 0;
        """;

    private static string Negatives(string changes) => $"""
        INSERT INTO negative_totals AS t(reason, entries)
            SELECT reason, sum(sign) FROM ({changes}) c GROUP BY 1 HAVING sum(sign) <> 0 ORDER BY 1
            ON CONFLICT(reason) DO UPDATE SET entries = t.entries + excluded.entries;
        """;

    /// <summary>Three statement triggers (insert, update, delete) on <paramref name="table"/>, each with its own
    /// function: a trigger with transition tables serves one event only.</summary>
    private static string Functions(string table, Func<string, string> body)
    {
        var sql = new StringBuilder();
        foreach (var (op, changes, referencing) in new[]
        {
            ("insert", "SELECT 1 AS sign, * FROM new_rows", "NEW TABLE AS new_rows"),
            ("update", "SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1, * FROM old_rows", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("delete", "SELECT -1 AS sign, * FROM old_rows", "OLD TABLE AS old_rows"),
        })
        {
            sql.Append(CultureInfo.InvariantCulture, $"""
                CREATE FUNCTION {table}_totals_{op}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    {body(changes)}
                    RETURN NULL;
                END $$;
                CREATE TRIGGER {table}_totals_{op} AFTER {op.ToUpperInvariant()} ON {table} REFERENCING {referencing}
                    FOR EACH STATEMENT EXECUTE FUNCTION {table}_totals_{op}();

                """);
        }

        return sql.ToString();
    }

    /// <summary>The histogram bucket of a time, as a CASE ladder over <see cref="GenerationHistogram.Bounds"/> (the
    /// bounds SQLite uses: both backends count the same).</summary>
    private static string BucketOf(string ms)
    {
        var sql = new StringBuilder("CASE");
        var bounds = GenerationHistogram.Bounds;
        for (var i = 0; i < bounds.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $" WHEN {ms} < {bounds[i].ToString("R", CultureInfo.InvariantCulture)} THEN {i}");
        }

        return sql.Append(CultureInfo.InvariantCulture, $" ELSE {bounds.Count} END").ToString();
    }
}
