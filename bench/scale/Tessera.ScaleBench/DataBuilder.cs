using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using static Measure;

/// <summary>A data folder of N synthetic renditions, of which <see cref="HotKeys"/> have a real file.</summary>
internal sealed record Setup(string Name, string Dir, int Rows, List<string> Hot, long TotalBytes, double BuildSeconds);

/// <summary>Fills a data folder Tessera has already created (schema, migrations, layout.json) with synthetic rows,
/// inserted through the real renditions table so the migration-2 triggers keep the stats totals and histogram.</summary>
internal static class DataBuilder
{
    public const int HotKeys = 2_000;
    public const int BatchRows = 50_000;

    public static Setup Build(string dir, int rows, byte[] webp)
    {
        var sw = Stopwatch.StartNew();
        var every = Math.Max(1, rows / HotKeys);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var fileSum = Convert.ToHexStringLower(SHA256.HashData(webp));
        var rng = new Random(rows);
        var all = new (string Key, bool Hot, long Bytes, long Access)[rows];
        for (var i = 0; i < rows; i++)
        {
            var key = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes((long)i)));
            var hot = i % every == 0;
            all[i] = (key, hot, hot ? webp.Length : rng.Next(12_288, 28_672), hot ? now : now - 86_400 - rng.NextInt64(365L * 86_400));
        }

        // Key order: the primary-key b-tree is filled front to back, as a long-lived index would be after VACUUM.
        Array.Sort(all, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var hotKeys = new List<string>(HotKeys);
        long total = 0;
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir, "tessera.db"), Pooling = false }.ToString()))
        {
            connection.Open();
            Exec(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;");
            for (var start = 0; start < rows; start += BatchRows)
            {
                using var tx = connection.BeginTransaction();
                using var cmd = connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = """
                    INSERT INTO renditions(key, ext, bytes, content_hash, preset, width, height, gen_ms, created_at, last_access, checksum)
                    VALUES ($k, 'webp', $b, $h, 'grid', 400, 300, $g, $c, $a, $s)
                    """;
                var pk = cmd.Parameters.Add("$k", SqliteType.Text);
                var pb = cmd.Parameters.Add("$b", SqliteType.Integer);
                var ph = cmd.Parameters.Add("$h", SqliteType.Text);
                var pg = cmd.Parameters.Add("$g", SqliteType.Real);
                var pc = cmd.Parameters.Add("$c", SqliteType.Integer);
                var pa = cmd.Parameters.Add("$a", SqliteType.Integer);
                var ps = cmd.Parameters.Add("$s", SqliteType.Text);
                cmd.Prepare();
                for (var i = start; i < Math.Min(rows, start + BatchRows); i++)
                {
                    var r = all[i];
                    pk.Value = r.Key;
                    pb.Value = r.Bytes;
                    ph.Value = r.Key[32..] + r.Key[..32]; // a content hash per row (rows do not share sources)
                    pg.Value = 20.0 + (i % 200);
                    pc.Value = r.Access;
                    pa.Value = r.Access;
                    ps.Value = r.Hot ? fileSum : r.Key; // synthetic rows have no file; any 64-hex checksum
                    cmd.ExecuteNonQuery();
                    total += r.Bytes;
                    if (r.Hot)
                    {
                        hotKeys.Add(r.Key);
                        var path = Path.Combine(dir, "renditions", r.Key[..2], r.Key[2..4], r.Key + ".webp");
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        File.WriteAllBytes(path, webp);
                    }
                }

                tx.Commit();
            }

            Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }

        SqliteConnection.ClearAllPools();
        var name = SizeName(rows);
        Log(Inv($"built {name}: {rows:N0} rows, {hotKeys.Count} hot files, {total:N0} bytes in {sw.Elapsed.TotalSeconds:F1} s"));
        return new Setup(name, dir, rows, hotKeys, total, sw.Elapsed.TotalSeconds);
    }

    public static void Exec(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
