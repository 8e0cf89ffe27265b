using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Index;
using Tessera.Core.Pipeline;
using Tessera.Index.Sqlite;
using Tessera.Tests.Support;

namespace Tessera.Tests.Index;

/// <summary>An index file written before migrations were numbered opens and migrates in place.</summary>
public sealed class MigrationTests : IDisposable
{
    /// <summary>The schema exactly as the code before numbered migrations made it (user_version 0).</summary>
    private const string UnnumberedSchema = """
        PRAGMA journal_mode = WAL;
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
        """;

    private const string ChecksumColumn = "ALTER TABLE renditions ADD COLUMN checksum TEXT; CREATE INDEX IF NOT EXISTS renditions_last_access ON renditions(last_access);";

    private readonly TempDir _dir = new();

    private string Db => Path.Combine(_dir.Path, "tessera.db");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // a file from before the checksum column
    public async Task AnUnnumberedIndex_MigratesInPlace_WithItsDataAndTheSameSummary(bool withChecksum)
    {
        SqliteLibrary.UseSystemLibrary(); // one SQLite per process, before this test's first raw connection
        OldSummary old;
        using (var connection = Connect())
        {
            Exec(connection, UnnumberedSchema + (withChecksum ? ChecksumColumn : string.Empty));
            Fill(connection, withChecksum);
            old = Summarize(connection);
        }

        SqliteConnection.ClearAllPools();
        using (var index = SqliteIndex.Open(Db, NullLogger.Instance))
        {
            Assert.False(index.Maintenance.CreatedNew);
            await AssertMigratedAsync(index, old, withChecksum);
        }

        using (var again = SqliteIndex.Open(Db, NullLogger.Instance))
        {
            await AssertMigratedAsync(again, old, withChecksum); // a second open changes nothing
        }
    }

    private async Task AssertMigratedAsync(IndexPorts index, OldSummary old, bool withChecksum)
    {
        using (var connection = Connect())
        {
            Assert.Equal(12L, Scalar(connection, "PRAGMA user_version"));
            Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM pragma_table_info('renditions') WHERE name = 'checksum'"));
        }

        Assert.Equal("ok", await index.Maintenance.IntegrityCheckAsync(default));
        var summary = await index.Stats.SummarizeAsync(default);
        Assert.Equal(old.Items, summary.Items);
        Assert.Equal(old.Renditions, summary.Renditions);
        Assert.Equal(old.Bytes, summary.Bytes);
        Assert.Equal(old.ByPreset.OrderBy(kv => kv.Key, StringComparer.Ordinal), summary.ByPreset.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(old.Counters.OrderBy(kv => kv.Key, StringComparer.Ordinal), summary.Counters.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        AssertNear(old.P50, summary.GenerationP50Ms);
        AssertNear(old.P95, summary.GenerationP95Ms);
        AssertNear(old.P99, summary.GenerationP99Ms);
        Assert.Equal(old.Negatives.OrderBy(kv => kv.Key, StringComparer.Ordinal), (await index.Negatives.CountNegativesAsync(default)).OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(old.Bytes, await index.Eviction.TotalBytesAsync(default));

        // Ctime and inode of an old row are unknown (null): its file is hashed once more on its next request.
        Assert.Equal(new Fingerprint("/lib/7.jpg", 7, 70, "c7"), await index.Fingerprints.GetFingerprintAsync("/lib/7.jpg", default));
        Assert.Equal(withChecksum ? "sum-5" : null, (await index.Renditions.GetRenditionCheckAsync(Key(5), default))!.Checksum);
        Assert.Null((await index.Renditions.GetRenditionsAsync([Key(5)], default))[Key(5)].Preview); // no preview until made again
        var negative = (await index.Negatives.ListNegativesAsync(FailureReason.Timeout, 0, 1, default)).Single();
        Assert.Equal(("neg-0", 3, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123)), (negative.Item, negative.Attempts, negative.FirstFailedAt));
        Assert.Equal(new DerivedOriginal("c3", "frame", "frame-3", null) { ETag = "\"e\"" }, await index.Derived.GetDerivedAsync("c3", "frame", default));
        var registration = await index.Items.GetRegistrationAsync("shows", "item-1", "poster", default);
        Assert.Equal(["https://a/1.jpg", "https://b/ü.jpg"], registration!.Sources);
        Assert.Equal(new ItemRef("item-1", "One"), await index.Items.GetAliasAsync("shows", "alias-1", default));

        // The totals follow changes after the migration too.
        await index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(999), "webp", 1000, "new", "grid", 1, 1, 10), default);
        await index.Eviction.DeleteRenditionsAsync([Key(999)], default);
        Assert.Equal(old.Bytes, (await index.Stats.SummarizeAsync(default)).Bytes);
    }

    private static void Fill(SqliteConnection connection, bool withChecksum)
    {
        using var tx = connection.BeginTransaction();
        var random = new Random(3);
        string?[] presets = ["grid", "thumb", "(original)", null];
        for (var i = 0; i < 500; i++)
        {
            var preset = presets[i % 4];
            var ext = preset == "(original)" ? "orig" : "webp";
            double? ms = i % 9 == 0 ? null : Math.Round(Math.Exp(random.NextDouble() * 10), 3);
            Exec(connection, "INSERT INTO renditions(key, ext, bytes, content_hash, preset, width, height, gen_ms, created_at, last_access) VALUES ($k, $e, $b, $h, $p, 1, 1, $g, 1, 1)",
                ("$k", Key(i)), ("$e", ext), ("$b", random.Next(100, 90_000)), ("$h", "c" + (i % 50)), ("$p", preset), ("$g", ms));
        }

        if (withChecksum)
        {
            Exec(connection, "UPDATE renditions SET checksum = 'sum-5' WHERE key = $k", ("$k", Key(5)));
        }

        for (var i = 0; i < 50; i++)
        {
            Exec(connection, "INSERT INTO fingerprints VALUES ($p, $s, $m, $h, 1)", ("$p", $"/lib/{i}.jpg"), ("$s", i), ("$m", i * 10), ("$h", "c" + i));
        }

        string[] reasons = ["timeout", "not-found", "timeout", "decode-failed", "timeout"];
        for (var i = 0; i < reasons.Length; i++)
        {
            Exec(connection, "INSERT INTO negatives VALUES ($i, 'file', $r, 'why', 3, 1700000000123, 1700000000123, 1700000600000, 1, 2)",
                ("$i", $"neg-{i}"), ("$r", reasons[i]));
        }

        Exec(connection, "INSERT INTO derived VALUES ('c3', 'frame', 'frame-3', NULL, '\"e\"', NULL, NULL, 1)");
        Exec(connection, "INSERT INTO items VALUES ('shows', 'item-1', 'poster', 'One', '[\"https://a/1.jpg\",\"https://b/\\u00FC.jpg\"]', NULL, 1)");
        Exec(connection, "INSERT INTO aliases VALUES ('shows', 'alias-1', 'Alias One', 'item-1', 'One', 1)");
        Exec(connection, "INSERT INTO counters VALUES ('hits', 41), ('misses', 7)");
        tx.Commit();
    }

    /// <summary>The summary as the queries before the totals computed it, by scanning.</summary>
    private static OldSummary Summarize(SqliteConnection connection)
    {
        var timed = Scalar(connection, "SELECT count(*) FROM renditions WHERE gen_ms IS NOT NULL");
        double? Percentile(double p) => timed == 0 ? null : (double)Rows(connection,
            string.Create(CultureInfo.InvariantCulture, $"SELECT gen_ms FROM renditions WHERE gen_ms IS NOT NULL ORDER BY gen_ms LIMIT 1 OFFSET {Math.Max(0, (long)Math.Ceiling(p * timed) - 1)}"))[0][0];
        return new OldSummary(
            Scalar(connection, "SELECT count(*) FROM fingerprints"),
            Scalar(connection, "SELECT count(*) FROM renditions WHERE ext <> 'orig'"),
            Scalar(connection, "SELECT coalesce(sum(bytes), 0) FROM renditions"),
            Rows(connection, "SELECT coalesce(preset, '(rebuilt)'), count(*), sum(bytes) FROM renditions GROUP BY 1")
                .ToDictionary(r => (string)r[0], r => new PresetUsage((long)r[1], (long)r[2])),
            Rows(connection, "SELECT name, value FROM counters").ToDictionary(r => (string)r[0], r => (long)r[1]),
            Rows(connection, "SELECT reason, count(*) FROM negatives GROUP BY reason").ToDictionary(r => (string)r[0], r => (long)r[1]),
            Percentile(0.50), Percentile(0.95), Percentile(0.99));
    }

    private static void AssertNear(double? exact, double? actual)
    {
        Assert.NotNull(exact);
        Assert.NotNull(actual);
        var tolerance = Math.Max(1.0, exact.Value * 0.12); // one histogram bucket
        Assert.True(Math.Abs(actual.Value - exact.Value) <= tolerance, $"percentile {actual} is not within {tolerance:F3} of {exact}");
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Db, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static string Key(int i) => $"{i:x4}".PadRight(64, '0');

    private static void Exec(SqliteConnection connection, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        cmd.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static List<object[]> Rows(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    private sealed record OldSummary(long Items, long Renditions, long Bytes, Dictionary<string, PresetUsage> ByPreset, Dictionary<string, long> Counters,
        Dictionary<string, long> Negatives, double? P50, double? P95, double? P99);
}
