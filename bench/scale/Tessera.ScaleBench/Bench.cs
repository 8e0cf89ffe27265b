using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tessera.Vips;
using static Measure;

/// <summary>The whole run: build the folders, check the kept totals, measure, write the report.</summary>
internal static class Bench
{
    private const double AnswerTargetMs = 50;

    public static async Task<int> RunAllAsync(string work, string reportPath, int[] sizes, string? cliDll)
    {
        using var solid = VipsImage.Solid(160, 160, 200, 120, 40);
        var webp = solid.Save(new SaveOptions(ImageFormat.WebP));
        Log($"hot rendition: real WebP of {webp.Length} bytes");

        var setups = new List<Setup>();
        foreach (var rows in sizes)
        {
            var dir = Path.Combine(work, "n" + SizeName(rows));
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            // Tessera first: it creates the real schema (with the stats triggers) and layout.json.
            (await BenchCache.OpenAsync(dir).ConfigureAwait(false)).Dispose();
            setups.Add(DataBuilder.Build(dir, rows, webp));
        }

        var small = setups[0];
        var large = setups[^1];
        ReportData(setups, webp.Length);
        await CheckTotalsAsync(setups).ConfigureAwait(false);
        var children = await StartupAsync(setups, small, large).ConfigureAwait(false);
        await HitsAsync(setups, small, large).ConfigureAwait(false);
        await StatsEndpointsAsync(setups, large).ConfigureAwait(false);
        StatusCommand(setups, children, cliDll);
        await EvictionAsync(large).ConfigureAwait(false);

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

    private static void ReportData(List<Setup> setups, int webpBytes)
    {
        Line("## Data");
        Line();
        Line("| folder | rows | hot keys (with files) | total bytes in index | tessera.db size | build time |");
        Line("|---|---:|---:|---:|---:|---:|");
        foreach (var s in setups)
        {
            Line(Inv($"| {s.Name} | {s.Rows:N0} | {s.Hot.Count:N0} | {s.TotalBytes:N0} ({s.TotalBytes / 1e9:F2} GB) | {new FileInfo(Path.Combine(s.Dir, "tessera.db")).Length / 1e6:F0} MB | {s.BuildSeconds:F1} s |"));
        }

        Line();
        Line(Inv($"Each folder is created by Tessera first (AddTesseraCore + AddTesseraSqliteIndex, FolderStartup: schema, migrations, layout.json). Synthetic rows: key = SHA-256 hex of the row number, bytes uniform in 12–28 KB, gen_ms 20–219 ms, last_access spread over the past year, checksum set; inserted with Microsoft.Data.Sqlite into Tessera's renditions table (its triggers keep the stats totals and the generation-time histogram as rows go in), {DataBuilder.BatchRows:N0} rows per transaction, then `PRAGMA wal_checkpoint(TRUNCATE)`. Hot keys (every row with number % (N/{DataBuilder.HotKeys}) == 0) have a real {webpBytes}-byte WebP file at renditions/ab/cd/<key>.webp, bytes/checksum of that file, and last_access = now."));
        Line();
    }

    private static async Task CheckTotalsAsync(List<Setup> setups)
    {
        Line("## Kept totals against the rows (untimed)");
        Line();
        Line("After the load, StatsReader's figures (read from the trigger-kept tables) against a direct scan of `renditions` on a separate read-only connection; percentiles from the histogram against the exact ones (rank ceil(p·n) through the gen_ms index). The histogram's buckets are 12% wide, so that is the tolerance.");
        Line();
        TotalsHeader();
        var ok = true;
        foreach (var s in setups)
        {
            using var cache = await BenchCache.OpenAsync(s.Dir).ConfigureAwait(false);
            var check = await TotalsCheck.RunAsync(cache, s.Dir).ConfigureAwait(false);
            Line(check.Row(s.Name));
            ok &= check.Ok && check.Rows == s.Rows && check.Bytes == s.TotalBytes;
        }

        Line();
        Verdict(Inv($"stats totals equal a direct count after the load ({string.Join(", ", setups.Select(s => s.Name))})"), ok ? "renditions, bytes, histogram entries equal; percentiles within 12%" : "mismatch (see the totals table)", ok);
    }

    private static void TotalsHeader()
    {
        Line("| folder | renditions (scan) | renditions (stats) | bytes (scan) | bytes (stats) | rows with gen_ms (scan) | histogram entries | gen p50 / p95 / p99, histogram (ms) | exact (ms) | equal |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    }

    private static async Task<Dictionary<string, StartupProbe.Children>> StartupAsync(List<Setup> setups, Setup small, Setup large)
    {
        var children = new Dictionary<string, StartupProbe.Children>();
        Line("## Start-up (AddTesseraCore + AddTesseraSqliteIndex, FolderStartup.RunAsync)");
        Line();
        Line("Child process = `Tessera.ScaleBench startup <dir>` started and waited for (includes .NET runtime start-up); open = Stopwatch around composing the services and FolderStartup.RunAsync inside that child. Median of 3 fresh processes each. In-process = open + dispose in the benchmark process, median of 3. The page cache is warm (the folders were just written).");
        Line();
        Line("| folder | child process wall, median (runs) | open inside child, median (runs) | in-process open, median |");
        Line("|---|---:|---:|---:|");
        foreach (var s in setups)
        {
            var c = StartupProbe.RunChildren(s.Dir, s.Rows);
            children[s.Name] = c;
            var inProcess = await StartupProbe.InProcessAsync(s.Dir).ConfigureAwait(false);
            Line(Inv($"| {s.Name} | {Median(c.Wall):F0} ms ({Join(c.Wall)}) | {Median(c.Open):F1} ms ({Join(c.Open)}) | {Median(inProcess):F1} ms |"));
        }

        Line();
        var wallLarge = Median(children[large.Name].Wall);
        Verdict(Inv($"start-up ≤ 2 s at {large.Name} (child process wall)"), Inv($"{wallLarge:F0} ms"), wallLarge <= 2000);
        // "Independent of index size": the largest within 2x of the smallest, on the open itself and on the whole process.
        var openRatio = Median(children[large.Name].Open) / Math.Max(Median(children[small.Name].Open), 0.001);
        var wallRatio = wallLarge / Math.Max(Median(children[small.Name].Wall), 0.001);
        Verdict(Inv($"start-up at {large.Name} within 2× of {small.Name} (process wall; open inside child)"), Inv($"{wallRatio:F2}×; {openRatio:F2}×"), wallRatio <= 2 && openRatio <= 2);
        return children;
    }

    private static async Task HitsAsync(List<Setup> setups, Setup small, Setup large)
    {
        Line("## Hit lookups (ThumbnailService.GetByKeyAsync, WebP, HotCacheBytes = 0)");
        Line();
        Line(Inv($"Each lookup opens the file, reads it, reads the index row (length + checksum) and SHA-256s the bytes. {HitLoop.Lookups:N0} lookups over the {DataBuilder.HotKeys:N0} hot keys from {HitLoop.Workers} concurrent tasks, after an untimed pass over every hot key."));
        Line();
        Line("| folder | lookups | misses | p50 | p99 | max | > 1 ms | > 10 ms | > 100 ms | lookups/s |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var bySize = new Dictionary<string, HitStats>();
        foreach (var s in setups)
        {
            using var cache = await BenchCache.OpenAsync(s.Dir).ConfigureAwait(false);
            await HitLoop.WarmAsync(cache, s.Hot).ConfigureAwait(false);
            bySize[s.Name] = await HitLoop.RunAsync(cache, s.Hot, HitLoop.Lookups, null).ConfigureAwait(false);
            Line(bySize[s.Name].Row(s.Name));
        }

        Line();
        foreach (var s in new[] { small, large })
        {
            Verdict(Inv($"hit p99 ≤ 1 ms at {s.Name}"), Inv($"{bySize[s.Name].P99:F3} ms"), bySize[s.Name].P99 <= 1);
        }
    }

    private static async Task StatsEndpointsAsync(List<Setup> setups, Setup large)
    {
        var rows = new Dictionary<string, Dictionary<string, Timings>>(StringComparer.Ordinal);
        var notOk = 0;
        var notes = new List<string>();
        foreach (var s in setups)
        {
            var inProcess = await StatsEndpoints.InProcessAsync(s.Dir).ConfigureAwait(false);
            var http = await StatsEndpoints.HttpAsync(s.Dir).ConfigureAwait(false);
            rows.TryAdd(StatsEndpoints.InProcess, []);
            rows[StatsEndpoints.InProcess][s.Name] = inProcess;
            foreach (var (path, t) in http.ByPath)
            {
                rows.TryAdd("GET " + path, []);
                rows["GET " + path][s.Name] = t;
            }

            notOk += http.NotOk.Values.Sum();
            if (http.ApiRenditions != s.Rows)
            {
                throw new InvalidOperationException(Inv($"/api/stats at {s.Name} reported {http.ApiRenditions} renditions, not {s.Rows}"));
            }

            notes.Add(Inv($"{s.Name}: {string.Join(", ", http.BodyBytes.Select(kv => Inv($"{kv.Key} {kv.Value:N0} B")))}"));
            Log(Inv($"stats endpoints {s.Name}: {string.Join("; ", rows.Select(r => Inv($"{r.Key} p99 {r.Value[s.Name].P99:F2} ms")))}"));
        }

        var small = setups[0].Name;
        Line("## Stats and health endpoints");
        Line();
        Line(Inv($"Each cell: p50 / p99 / max in ms over {StatsEndpoints.Timed} sequential requests after {StatsEndpoints.WarmUp} untimed ones. In-process = `StatsReader.ReadAsync` on a composed cache (what `tessera status`, /api/stats and /metrics call). HTTP = the real server (`TesseraServer.Build(options, [\"http://127.0.0.1:0\"])`: Kestrel, every route, health checks and hosted services) on loopback, one kept-alive HttpClient connection in the same process, timed from sending the request to the last byte of the body. /healthz runs the liveness checks (database: a stats summary, data folder: write + delete a probe file, free disk, libvips, ffmpeg: version cached after the first call); /readyz adds the encode queue. Nothing on these paths reads `renditions`: the figures come from the tables the triggers keep."));
        Line();
        var header = new StringBuilder("| endpoint |");
        var rule = new StringBuilder("|---|");
        foreach (var s in setups)
        {
            header.Append(CultureInfo.InvariantCulture, $" {s.Name} |");
            rule.Append("---:|");
        }

        Line(header.Append(Inv($" p50 {large.Name} / {small} |")).ToString());
        Line(rule.Append("---:|").ToString());
        foreach (var (endpoint, bySize) in rows)
        {
            var cells = string.Join(" | ", setups.Select(s => bySize[s.Name].Cell));
            Line(Inv($"| {endpoint} | {cells} | {bySize[large.Name].P50 / bySize[small].P50:F2}× |"));
            var p99 = bySize[large.Name].P99;
            Verdict(Inv($"{endpoint} p99 ≤ {AnswerTargetMs:F0} ms at {large.Name}"), Inv($"{p99:F2} ms ({string.Join(", ", setups.Select(s => Inv($"{s.Name} {bySize[s.Name].P99:F2}")))})"), p99 <= AnswerTargetMs);
        }

        Line();
        Line("Body sizes: " + string.Join("; ", notes) + ".");
        Line();
        Verdict("every timed HTTP answer was 200", Inv($"{notOk} not 200"), notOk == 0);
    }

    private static void StatusCommand(List<Setup> setups, Dictionary<string, StartupProbe.Children> children, string? cliDll)
    {
        Line("## `tessera status --data DIR --json` (the real CLI)");
        Line();
        if (cliDll is null || !File.Exists(cliDll))
        {
            Line(Inv($"Not measured: the CLI was not found ({cliDll ?? "SCALE_CLI unset"}). `bench/scale/run` builds it."));
            Line();
            Verdict("tessera status measured", "CLI not found", false);
            return;
        }

        Line("`dotnet tessera.dll status --data DIR --json`, started and waited for, 3 times (median and runs); the JSON's renditions figure is checked. Its wall time is mostly .NET start-up and loading the host, which no index size changes: `dotnet tessera.dll --help` (runtime start, assembly loading, command parsing; no services, no SQLite), run alternately with it, is the floor every command pays. \"status − help\" is then composing the services, opening the index (schema version check), the stats read and the JSON, all cold (JIT included). The answer itself, as the CLI gets it, is the last column: the first `StatsReader.ReadAsync` in a fresh process (the start-up children above, same composition, cold).");
        Line();
        Line("| folder | status wall, median (runs) | --help wall, median (runs) | status − help | first stats read in a fresh process, median (runs) |");
        Line("|---|---:|---:|---:|---:|");
        foreach (var s in setups)
        {
            var cli = StatsEndpoints.Cli(cliDll, s.Dir, s.Rows);
            var first = children[s.Name].FirstStats;
            Line(Inv($"| {s.Name} | {Median(cli.Status):F0} ms ({Join(cli.Status)}) | {Median(cli.Help):F0} ms ({Join(cli.Help)}) | {Median(cli.Status) - Median(cli.Help):F0} ms | {Median(first):F1} ms ({string.Join(", ", first.Select(x => x.ToString("F1", CultureInfo.InvariantCulture)))}) |"));
        }

        Line();
        Line(Inv($"The {AnswerTargetMs:F0} ms target is checked on the answer (the in-process and HTTP figures above), not on process start: no verdict here."));
        Line();
    }

    private static async Task EvictionAsync(Setup large)
    {
        var budget = (long)(large.TotalBytes / 1.1);
        EvictionOutcome ev;
        HitStats baseline, during;
        TotalsCheck after;
        using (var cache = await BenchCache.OpenAsync(large.Dir, o =>
        {
            o.Budget.MaxBytes = budget;
            o.Budget.TargetRatio = 1.0; // evict down to the budget: 10% of it
        }).ConfigureAwait(false))
        {
            await HitLoop.WarmAsync(cache, large.Hot).ConfigureAwait(false);
            baseline = await HitLoop.RunAsync(cache, large.Hot, HitLoop.Lookups, null).ConfigureAwait(false);
            using var stop = new CancellationTokenSource();
            var loop = HitLoop.RunAsync(cache, large.Hot, int.MaxValue, stop.Token);
            var sw = Stopwatch.StartNew();
            var result = await Task.Run(() => cache.Evictor.RunOnceAsync(CancellationToken.None)).ConfigureAwait(false);
            var evictSeconds = sw.Elapsed.TotalSeconds;
            await stop.CancelAsync().ConfigureAwait(false);
            during = await loop.ConfigureAwait(false);
            ev = new EvictionOutcome(result.Count, result.Bytes, evictSeconds);
            after = await TotalsCheck.RunAsync(cache, large.Dir).ConfigureAwait(false);
        }

        Line(Inv($"## Eviction under load ({large.Name} index)"));
        Line();
        Line(Inv($"Budget.MaxBytes = total / 1.1 = {budget:N0} bytes, TargetRatio = 1.0, so Evictor.RunOnceAsync must free the excess, 10% of the budget ({large.TotalBytes - budget:N0} bytes). It ran on the thread pool while the same {HitLoop.Workers}-task hit loop ran until it finished. Baseline = a {HitLoop.Lookups:N0}-lookup loop on the same open cache just before."));
        Line();
        Line("| | lookups | misses | p50 | p99 | max | > 1 ms | > 10 ms | > 100 ms | lookups/s |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Line(baseline.Row("baseline (before eviction)"));
        Line(during.Row("during eviction"));
        Line();
        Line(Inv($"Eviction: {ev.Rows:N0} rows, {ev.Bytes:N0} bytes freed in {ev.Seconds:F1} s ({ev.Rows / Math.Max(ev.Seconds, 1e-9):N0} rows/s); rows after: {after.StatsRenditions:N0} (before: {large.Rows:N0})."));
        Line();
        Line("Kept totals after the eviction (the delete trigger), against a direct scan, untimed:");
        Line();
        TotalsHeader();
        Line(after.Row(large.Name + " after eviction"));
        Line();
        var ratio = during.P99 / Math.Max(baseline.P99, 1e-9);
        Verdict("hit p99 during eviction ≤ 2× baseline", Inv($"{during.P99:F3} ms vs {baseline.P99:F3} ms = {ratio:F2}×"), ratio <= 2);
        Verdict("eviction freed ≥ 10% of the budget, hot keys still hit", Inv($"{ev.Bytes:N0} of {large.TotalBytes - budget:N0} bytes; {during.Misses} misses"), ev.Bytes >= large.TotalBytes - budget && during.Misses == 0);
        var afterOk = after.Ok && after.Rows == large.Rows - ev.Rows && after.Bytes == large.TotalBytes - ev.Bytes;
        Verdict("stats totals equal a direct count after eviction", Inv($"{after.StatsRenditions:N0} renditions, {after.StatsBytes:N0} bytes (scan: {after.Rows:N0}, {after.Bytes:N0})"), afterOk);
    }

    private sealed record EvictionOutcome(int Rows, long Bytes, double Seconds);
}
