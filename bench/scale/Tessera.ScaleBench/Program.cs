using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core;
using Tessera.Core.Presets;
using Tessera.Vips;
using Tessera.Index.Sqlite;

// Tessera scale benchmark (issue 3). Modes:
//   all <work-dir> <report.md>   build the 10k and 1M data folders, measure, write the report section
//   startup <data-dir>           open the cache once and print the in-process open time (for the parent to time)
if (args.Length >= 2 && args[0] == "startup")
{
    var sw = Stopwatch.StartNew();
    using (Bench.Open(args[1]))
    {
        Console.WriteLine(FormattableString.Invariant($"open_ms={sw.Elapsed.TotalMilliseconds:F1}"));
    }

    return 0;
}

if (args.Length < 3 || args[0] != "all")
{
    Console.Error.WriteLine("usage: Tessera.ScaleBench all <work-dir> <report.md> | startup <data-dir>");
    return 2;
}

return await Bench.RunAllAsync(args[1], args[2]).ConfigureAwait(false);

internal static class Bench
{
    private const int HotKeys = 2_000;
    private const int Lookups = 20_000;
    private const int Workers = 8;
    private const int BatchRows = 50_000;

    private static readonly StringBuilder Report = new();
    private static readonly List<(string Target, string Measured, bool Pass)> Verdicts = [];

    public static TesseraCache Open(string dir, Action<TesseraOptions>? configure = null)
    {
        var options = new TesseraOptions { DataPath = dir, HotCacheBytes = 0 };
        options.Budget.MinFreeDiskBytes = 0;
        configure?.Invoke(options);
        return TesseraCache.Open(options, NullLoggerFactory.Instance, SqliteIndex.Open);
    }

    public static async Task<int> RunAllAsync(string work, string reportPath)
    {
        var small = Path.Combine(work, "n10k");
        var large = Path.Combine(work, "n1m");
        foreach (var d in new[] { small, large })
        {
            if (Directory.Exists(d))
            {
                Directory.Delete(d, recursive: true);
            }

            // Tessera first: it creates the real schema and layout.json, and maps SQLite to the system library.
            Open(d).Dispose();
        }

        using var solid = VipsImage.Solid(160, 160, 200, 120, 40);
        var webp = solid.Save(new SaveOptions(ImageFormat.WebP));
        Log($"hot rendition: real WebP of {webp.Length} bytes");

        var smallSetup = Build(small, 10_000, webp);
        var largeRows = int.TryParse(Environment.GetEnvironmentVariable("SCALE_LARGE"), CultureInfo.InvariantCulture, out var n) ? n : 1_000_000;
        var largeSetup = Build(large, largeRows, webp);

        Line("## Data");
        Line();
        Line("| folder | rows | hot keys (with files) | total bytes in index | tessera.db size | build time |");
        Line("|---|---:|---:|---:|---:|---:|");
        foreach (var s in new[] { smallSetup, largeSetup })
        {
            Line(Inv($"| {s.Name} | {s.Rows:N0} | {s.Hot.Count:N0} | {s.TotalBytes:N0} ({s.TotalBytes / 1e9:F2} GB) | {new FileInfo(Path.Combine(s.Dir, "tessera.db")).Length / 1e6:F0} MB | {s.BuildSeconds:F1} s |"));
        }

        Line();
        Line(Inv($"Synthetic rows: key = SHA-256 hex of the row number, bytes uniform in 12–28 KB, last_access spread over the past year, checksum set; inserted with Microsoft.Data.Sqlite into the schema TesseraCache created (its triggers keep the stats totals), {BatchRows:N0} rows per transaction, then `PRAGMA wal_checkpoint(TRUNCATE)`. Hot keys (every row with number % (N/{HotKeys}) == 0) have a real {webp.Length}-byte WebP file at renditions/ab/cd/<key>.webp, bytes/checksum of that file, and last_access = now."));
        Line();

        // Start-up.
        var startSmall = StartupChildren(small);
        var startLarge = StartupChildren(large);
        var inSmall = InProcessOpen(small);
        var inLarge = InProcessOpen(large);
        Line("## Start-up (TesseraCache.Open)");
        Line();
        Line("Child process = `Tessera.ScaleBench startup <dir>` started and waited for (includes .NET runtime start-up); open = Stopwatch around TesseraCache.Open inside that child. Median of 3 fresh processes each. In-process = Open+Dispose in the benchmark process, median of 3. The page cache is warm (the folders were just written).");
        Line();
        Line("| folder | child process wall, median (runs) | open inside child, median (runs) | in-process open, median |");
        Line("|---|---:|---:|---:|");
        Line(Inv($"| 10k | {Median(startSmall.Wall):F0} ms ({Join(startSmall.Wall)}) | {Median(startSmall.Open):F1} ms ({Join(startSmall.Open)}) | {Median(inSmall):F1} ms |"));
        Line(Inv($"| 1M | {Median(startLarge.Wall):F0} ms ({Join(startLarge.Wall)}) | {Median(startLarge.Open):F1} ms ({Join(startLarge.Open)}) | {Median(inLarge):F1} ms |"));
        Line();
        var wallLarge = Median(startLarge.Wall);
        var wallSmall = Median(startSmall.Wall);
        Verdicts.Add(("start-up ≤ 2 s at 1M (child process wall)", Inv($"{wallLarge:F0} ms"), wallLarge <= 2000));
        // "Independent of index size": 1M within 2x of 10k, on the open itself and on the whole process.
        var openRatio = Median(startLarge.Open) / Math.Max(Median(startSmall.Open), 0.001);
        var wallRatio = wallLarge / Math.Max(wallSmall, 0.001);
        Verdicts.Add(("start-up at 1M within 2× of 10k (process wall; open inside child)", Inv($"{wallRatio:F2}×; {openRatio:F2}×"), wallRatio <= 2 && openRatio <= 2));

        // Hit lookups.
        Line("## Hit lookups (ThumbnailService.GetByKeyAsync, WebP, HotCacheBytes = 0)");
        Line();
        Line(Inv($"Each lookup opens the file, reads it, reads the index row (length + checksum) and SHA-256s the bytes. {Lookups:N0} lookups over the {HotKeys:N0} hot keys from {Workers} concurrent tasks, after an untimed pass over every hot key."));
        Line();
        Line("| folder | lookups | misses | p50 | p99 | max | > 1 ms | > 10 ms | > 100 ms | lookups/s |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        HitStats smallHits, baseline;
        using (var cache = Open(small))
        {
            await WarmAsync(cache, smallSetup.Hot).ConfigureAwait(false);
            smallHits = await HitLoopAsync(cache, smallSetup.Hot, Lookups, null).ConfigureAwait(false);
        }

        HitStats largeHits;
        using (var cache = Open(large))
        {
            await WarmAsync(cache, largeSetup.Hot).ConfigureAwait(false);
            largeHits = await HitLoopAsync(cache, largeSetup.Hot, Lookups, null).ConfigureAwait(false);
        }

        Line(smallHits.Row("10k"));
        Line(largeHits.Row("1M"));
        Line();
        Verdicts.Add(("hit p99 ≤ 1 ms at 10k", Inv($"{smallHits.P99:F3} ms"), smallHits.P99 <= 1));
        Verdicts.Add(("hit p99 ≤ 1 ms at 1M", Inv($"{largeHits.P99:F3} ms"), largeHits.P99 <= 1));

        // Eviction under load.
        var budget = (long)(largeSetup.TotalBytes / 1.1);
        EvictionOutcome ev;
        HitStats during;
        long rowsAfter;
        using (var cache = Open(large, o =>
        {
            o.Budget.MaxBytes = budget;
            o.Budget.TargetRatio = 1.0; // evict down to the budget: 10% of it
        }))
        {
            await WarmAsync(cache, largeSetup.Hot).ConfigureAwait(false);
            baseline = await HitLoopAsync(cache, largeSetup.Hot, Lookups, null).ConfigureAwait(false);
            using var stop = new CancellationTokenSource();
            var loop = HitLoopAsync(cache, largeSetup.Hot, int.MaxValue, stop.Token);
            var sw = Stopwatch.StartNew();
            var result = await Task.Run(() => cache.Evictor.RunOnceAsync(CancellationToken.None)).ConfigureAwait(false);
            var evictSeconds = sw.Elapsed.TotalSeconds;
            await stop.CancelAsync().ConfigureAwait(false);
            during = await loop.ConfigureAwait(false);
            ev = new EvictionOutcome(result.Count, result.Bytes, evictSeconds);
            rowsAfter = (await cache.StatsAsync(CancellationToken.None).ConfigureAwait(false)).Renditions;
        }

        Line("## Eviction under load (1M index)");
        Line();
        Line(Inv($"Budget.MaxBytes = total / 1.1 = {budget:N0} bytes, TargetRatio = 1.0, so Evictor.RunOnceAsync must free the excess, 10% of the budget ({largeSetup.TotalBytes - budget:N0} bytes). It ran on the thread pool while the same {Workers}-task hit loop ran until it finished. Baseline = a {Lookups:N0}-lookup loop on the same open cache just before."));
        Line();
        Line("| | lookups | misses | p50 | p99 | max | > 1 ms | > 10 ms | > 100 ms | lookups/s |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Line(baseline.Row("baseline (before eviction)"));
        Line(during.Row("during eviction"));
        Line();
        Line(Inv($"Eviction: {ev.Rows:N0} rows, {ev.Bytes:N0} bytes freed in {ev.Seconds:F1} s ({ev.Rows / Math.Max(ev.Seconds, 1e-9):N0} rows/s); rows after: {rowsAfter:N0} (before: {largeSetup.Rows:N0})."));
        Line();
        var ratio = during.P99 / Math.Max(baseline.P99, 1e-9);
        Verdicts.Add(("hit p99 during eviction ≤ 2× baseline", Inv($"{during.P99:F3} ms vs {baseline.P99:F3} ms = {ratio:F2}×"), ratio <= 2));
        Verdicts.Add(("eviction freed ≥ 10% of the budget, hot keys still hit", Inv($"{ev.Bytes:N0} of {largeSetup.TotalBytes - budget:N0} bytes; {during.Misses} misses"), ev.Bytes >= largeSetup.TotalBytes - budget && during.Misses == 0));

        var head = new StringBuilder();
        head.AppendLine("## Verdicts").AppendLine().AppendLine("| target | measured | result |").AppendLine("|---|---|---|");
        foreach (var (t, m, p) in Verdicts)
        {
            head.AppendLine(CultureInfo.InvariantCulture, $"| {t} | {m} | {(p ? "PASS" : "FAIL")} |");
        }

        head.AppendLine();
        await File.WriteAllTextAsync(reportPath, head.ToString() + Report).ConfigureAwait(false);
        return Verdicts.TrueForAll(v => v.Pass) ? 0 : 1;
    }

    private static Setup Build(string dir, int rows, byte[] webp)
    {
        var sw = Stopwatch.StartNew();
        var every = rows / HotKeys;
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
        var name = rows >= 1_000_000 ? "1M" : Inv($"{rows / 1000}k");
        Log(Inv($"built {name}: {rows:N0} rows, {hotKeys.Count} hot files, {total:N0} bytes in {sw.Elapsed.TotalSeconds:F1} s"));
        return new Setup(name, dir, rows, hotKeys, total, sw.Elapsed.TotalSeconds);
    }

    private static (List<double> Wall, List<double> Open) StartupChildren(string dir)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "Tessera.ScaleBench");
        var walls = new List<double>();
        var opens = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, UseShellExecute = false };
            psi.ArgumentList.Add("startup");
            psi.ArgumentList.Add(dir);
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            walls.Add(sw.Elapsed.TotalMilliseconds);
            if (p.ExitCode != 0 || !output.Contains("open_ms=", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"startup child failed ({p.ExitCode}): {output}");
            }

            opens.Add(double.Parse(output.Trim()["open_ms=".Length..], CultureInfo.InvariantCulture));
        }

        Log(Inv($"startup {dir}: wall {Join(walls)} ms, open {Join(opens)} ms"));
        return (walls, opens);
    }

    private static List<double> InProcessOpen(string dir)
    {
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            using (Open(dir))
            {
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        return times;
    }

    private static async Task WarmAsync(TesseraCache cache, List<string> hot)
    {
        foreach (var key in hot)
        {
            if (await cache.Service.GetByKeyAsync(key, OutputFormat.WebP).ConfigureAwait(false) is null)
            {
                throw new InvalidOperationException($"hot key {key} missed during warm-up");
            }
        }
    }

    /// <summary>Workers tasks take lookups from a shared counter until total is reached or stop is cancelled.</summary>
    private static async Task<HitStats> HitLoopAsync(TesseraCache cache, List<string> hot, int total, CancellationToken? stop)
    {
        var next = -1;
        var misses = 0;
        var sw = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var mine = new List<double>();
            var rng = new Random(w);
            while (stop is not { IsCancellationRequested: true })
            {
                if (Interlocked.Increment(ref next) >= total)
                {
                    break;
                }

                var key = hot[rng.Next(hot.Count)];
                var t0 = Stopwatch.GetTimestamp();
                var r = await cache.Service.GetByKeyAsync(key, OutputFormat.WebP).ConfigureAwait(false);
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                if (r is null)
                {
                    Interlocked.Increment(ref misses);
                }
            }

            return mine;
        })).ToArray();
        var lists = await Task.WhenAll(tasks).ConfigureAwait(false);
        var seconds = sw.Elapsed.TotalSeconds;
        var all = lists.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new HitStats(all.Length, misses, Pct(all, 0.50), Pct(all, 0.99), all.Length == 0 ? 0 : all[^1], all.Length / seconds,
            all.Count(x => x > 1), all.Count(x => x > 10), all.Count(x => x > 100));
    }

    private static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToArray();
        return s[s.Length / 2];
    }

    private static string Join(List<double> xs) => string.Join(", ", xs.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)));

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);

    private static void Line(string text = "") => Report.AppendLine(text);

    private static void Log(string text) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {text}");

    private sealed record Setup(string Name, string Dir, int Rows, List<string> Hot, long TotalBytes, double BuildSeconds);

    private sealed record EvictionOutcome(int Rows, long Bytes, double Seconds);

    private sealed record HitStats(int Count, int Misses, double P50, double P99, double Max, double PerSecond, int Over1, int Over10, int Over100)
    {
        public string Row(string label) =>
            FormattableString.Invariant($"| {label} | {Count:N0} | {Misses} | {P50:F3} ms | {P99:F3} ms | {Max:F2} ms | {Over1:N0} | {Over10:N0} | {Over100:N0} | {PerSecond:N0} |");
    }
}
