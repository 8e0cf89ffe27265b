using Microsoft.Data.Sqlite;
using Tessera.Core.Storage;

namespace Tessera.Core.Index;

/// <summary>The index in SQLite (WAL). One pooled connection per operation; writes are serialised in-process
/// and use BEGIN IMMEDIATE, so readers never wait and writers never meet "database is locked".</summary>
public sealed partial class SqliteCacheIndex : ICacheIndex, IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);

    static SqliteCacheIndex() => SqliteLibrary.Configure();

    public SqliteCacheIndex(string databasePath)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Initialize();
    }

    private void Initialize()
    {
        using var connection = Open();
        Execute(connection, """
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
            """);
        CreateNegatives(connection);
        CreateItems(connection);
        MigrateIntegrity(connection);
        InitializeEviction(connection);
    }

    public async Task<Fingerprint?> GetFingerprintAsync(string path, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = Command(connection, "SELECT size, mtime, content_hash FROM fingerprints WHERE path = $p", ("$p", path));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new Fingerprint(path, reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2))
            : null;
    }

    public Task PutFingerprintAsync(Fingerprint fingerprint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        return WriteAsync(connection => Command(connection, """
            INSERT INTO fingerprints(path, size, mtime, content_hash, updated_at) VALUES ($p, $s, $m, $h, $now)
            ON CONFLICT(path) DO UPDATE SET size = $s, mtime = $m, content_hash = $h, updated_at = $now
            """, ("$p", fingerprint.Path), ("$s", fingerprint.Size), ("$m", fingerprint.MtimeTicks), ("$h", fingerprint.ContentHash), ("$now", Now())), cancellationToken);
    }

    public Task RecordRenditionAsync(RenditionRecord rendition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rendition);
        return WriteAsync(connection => Command(connection, """
            INSERT INTO renditions(key, ext, bytes, content_hash, preset, width, height, gen_ms, created_at, last_access, checksum)
            VALUES ($k, $e, $b, $h, $p, $w, $ht, $g, $now, $now, $c)
            ON CONFLICT(key) DO UPDATE SET ext = $e, bytes = $b, checksum = $c, content_hash = coalesce($h, content_hash),
                preset = coalesce($p, preset), width = $w, height = $ht, gen_ms = coalesce($g, gen_ms), last_access = $now
            """,
            ("$k", rendition.Key), ("$e", rendition.Extension), ("$b", rendition.Bytes), ("$h", rendition.ContentHash),
            ("$p", rendition.Preset), ("$w", rendition.Width), ("$ht", rendition.Height), ("$g", rendition.GenerationMs), ("$now", Now()),
            ("$c", rendition.Checksum)), cancellationToken);
    }

    public async Task AddCountersAsync(IReadOnlyDictionary<string, long> deltas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        if (deltas.Count == 0)
        {
            return;
        }

        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = Open();
            await using var tx = connection.BeginTransaction(deferred: false);
            foreach (var (name, delta) in deltas)
            {
                await using var cmd = Command(connection, """
                    INSERT INTO counters(name, value) VALUES ($n, $d) ON CONFLICT(name) DO UPDATE SET value = value + $d
                    """, ("$n", name), ("$d", delta));
                cmd.Transaction = tx;
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writer.Release();
        }
    }

    public async Task<IndexSummary> SummarizeAsync(CancellationToken cancellationToken)
    {
        await using var connection = Open();
        var items = await ScalarAsync(connection, "SELECT count(*) FROM fingerprints", cancellationToken).ConfigureAwait(false);
        var renditions = await ScalarAsync(connection, "SELECT count(*) FROM renditions WHERE ext <> 'orig'", cancellationToken).ConfigureAwait(false);
        var bytes = await ScalarAsync(connection, "SELECT coalesce(sum(bytes), 0) FROM renditions", cancellationToken).ConfigureAwait(false);

        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var cmd = Command(connection, "SELECT name, value FROM counters"))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counters[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var byPreset = new Dictionary<string, PresetUsage>(StringComparer.Ordinal);
        await using (var cmd = Command(connection, "SELECT coalesce(preset, '(rebuilt)'), count(*), sum(bytes) FROM renditions GROUP BY 1"))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                byPreset[reader.GetString(0)] = new PresetUsage(reader.GetInt64(1), reader.GetInt64(2));
            }
        }

        var timed = await ScalarAsync(connection, "SELECT count(*) FROM renditions WHERE gen_ms IS NOT NULL", cancellationToken).ConfigureAwait(false);
        return new IndexSummary(items, renditions, bytes, counters, byPreset,
            await PercentileAsync(connection, timed, 0.50, cancellationToken).ConfigureAwait(false),
            await PercentileAsync(connection, timed, 0.95, cancellationToken).ConfigureAwait(false),
            await PercentileAsync(connection, timed, 0.99, cancellationToken).ConfigureAwait(false));
    }

    public async Task<int> RebuildRenditionsAsync(IEnumerable<StoredRendition> stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = Open();
            await using var tx = connection.BeginTransaction(deferred: false);
            var keep = new Dictionary<string, (string? Hash, string? Preset, int W, int H, double? Ms, string? Sum)>(StringComparer.Ordinal);
            await using (var read = Command(connection, "SELECT key, content_hash, preset, width, height, gen_ms, checksum FROM renditions"))
            {
                read.Transaction = tx;
                await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    keep[reader.GetString(0)] = (reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                        reader.IsDBNull(3) ? 0 : reader.GetInt32(3), reader.IsDBNull(4) ? 0 : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetDouble(5),
                        reader.IsDBNull(6) ? null : reader.GetString(6));
                }
            }

            await using (var clear = Command(connection, "DELETE FROM renditions"))
            {
                clear.Transaction = tx;
                await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var count = 0;
            foreach (var file in stored)
            {
                keep.TryGetValue(file.Key, out var known);
                var t = file.WrittenAt.ToUnixTimeSeconds();
                await using var insert = Command(connection, """
                    INSERT OR REPLACE INTO renditions(key, ext, bytes, content_hash, preset, width, height, gen_ms, created_at, last_access, checksum)
                    VALUES ($k, $e, $b, $h, $p, $w, $ht, $g, $t, $t, $c)
                    """, ("$k", file.Key), ("$e", file.Extension), ("$b", file.Length), ("$h", known.Hash ?? (file.Extension == Storage.OriginalStore.Extension ? file.Key : null)), ("$p", known.Preset),
                    ("$w", known.W), ("$ht", known.H), ("$g", known.Ms), ("$t", t), ("$c", known.Sum));
                insert.Transaction = tx;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                count++;
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
        finally
        {
            _writer.Release();
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private static async Task<double?> PercentileAsync(SqliteConnection connection, long count, double p, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return null;
        }

        var offset = (long)Math.Ceiling(p * count) - 1;
        await using var cmd = Command(connection, "SELECT gen_ms FROM renditions WHERE gen_ms IS NOT NULL ORDER BY gen_ms LIMIT 1 OFFSET $o", ("$o", Math.Max(0, offset)));
        var result = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is double d ? d : null;
    }

    private async Task WriteAsync(Func<SqliteConnection, SqliteCommand> build, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = Open();
            await using var cmd = build(connection);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writer.Release();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = Command(connection, sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
