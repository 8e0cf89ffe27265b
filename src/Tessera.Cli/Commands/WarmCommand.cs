using System.CommandLine;
using System.Globalization;
using Tessera.Cli.Settings;
using Spectre.Console;
using Tessera.Core;
using Tessera.Core.Presets;
using Tessera.Core.Warm;

using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Sources;
using Tessera.Core.Stats;
using Tessera.Core.Storage;
using Tessera.Core.Health;
using Tessera.Core.Jobs;

namespace Tessera.Cli.Commands;

/// <summary>tessera warm --data DIR [--presets grid,grid2x] [--parallel N] [--max-cache-size SIZE] [--failures FILE] PATH... | --library NAME [--ids A,B]
/// A warm is a job run by the job engine in this process, so a killed warm resumes where it stopped when run again.</summary>
internal static class WarmCommand
{
    /// <summary>Failed files listed on the terminal; --failures writes them all.</summary>
    private const int ShownFailures = 20;

    public static Command Create()
    {
        var flags = new SettingFlags();
        CommonOptions.Presets(flags);
        var presets = new Option<string>("--presets") { Description = "Comma-separated preset names to warm (default: all)." };
        var parallel = new Option<int>("--parallel")
        {
            Description = "Files processed at once (default: one per core).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var failuresFile = new Option<string>("--failures")
        {
            Description = "Write every failed file to FILE, one tab-separated line each: path, presets, reason, detail.",
        };
        var library = new Option<string>("--library") { Description = "Warm a configured library: its files, or with --ids those app items (cover role)." };
        var ids = new Option<string>("--ids") { Description = "Comma-separated app item ids of --library to warm." };
        CommonOptions.MaxCacheSize(flags);
        CommonOptions.Sidecars(flags);
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Files or folders to warm (default: every configured library).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("warm", "Generate thumbnails for every image, video, PDF and audio file under the paths.")
        {
            presets, parallel, failuresFile, library, ids, paths,
        };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            Tessera.Index.Sqlite.SqliteLibrary.BindNow(); // before libvips takes the loader's lock (see there)
            Tessera.Core.Engine.EngineStart.InBackground(); // libvips loads while the data folder and index open
            var terminal = Terminal.Of(parse);
            var n = Math.Max(1, parse.GetValue(parallel));
            var encoding = new Dictionary<string, string?>
            {
                ["Encoding:MaxConcurrent"] = n.ToString(CultureInfo.InvariantCulture),
                ["Encoding:MaxQueued"] = (int.MaxValue / 2).ToString(CultureInfo.InvariantCulture),
                ["Encoding:MaxQueueWait"] = "30d", // a batch waits its turn (e.g. for memory) instead of failing files
                ["Jobs:MaxShare"] = n.ToString(CultureInfo.InvariantCulture), // its own process: no live request to leave a slot for
                // The job engine, in-process: --parallel workers, each with 2 × --parallel files of its unit in flight,
                // so that while --parallel files are rendered (the encode limit above is the real bound) others are
                // hashed and looked up, or stored (fsync): with only --parallel in flight an encode slot sat idle for
                // each file's preparation and store, a fifth of the time (bench/report: slots 1.6 of 2 busy → 1.9).
                // Small units, a short lease so a killed warm's units are taken back soon, every failure listed.
                ["Jobs:Concurrency"] = n.ToString(CultureInfo.InvariantCulture),
                ["Jobs:UnitParallelism"] = (2 * n).ToString(CultureInfo.InvariantCulture),
                ["Jobs:UnitSize"] = "25",
                ["Jobs:LeaseTime"] = "10s",
                ["Jobs:FailureSample"] = "1000000",
            };
            using var host = await CommonOptions.OpenAsync(flags, parse, ct, encoding);
            var roots = parse.GetValue(paths) is { Length: > 0 } given ? given : [.. host.Get<TesseraOptions>().Libraries.Values];
            if (roots.Length == 0 && parse.GetValue(library) is null)
            {
                throw new ArgumentException("nothing to warm: give a PATH, or configure Libraries");
            }

            var chosen = Choose(host.Get<PresetCatalog>(), parse.GetValue(presets));
            List<WarmJobs.Planned> planned;
            try
            {
                var names = parse.GetValue(presets) is { Length: > 0 } ? chosen.Select(p => p.Name).ToList() : null;
                planned = parse.GetValue(library) is { } name
                    ? [await WarmJobs.CreateItemsAsync(host.Get<JobService>(), host.Get<IReadOnlyDictionary<string, FolderLibrary>>(), name, parse.GetValue(ids), names, ct)]
                    : await WarmJobs.CreateAsync(host.Get<JobService>(), host.Get<WarmKind>(), host.Get<IReadOnlyDictionary<string, FolderLibrary>>(),
                        roots, names, ct);
            }
            catch (JobRequestException e)
            {
                throw new ArgumentException(e.Message, e);
            }

            // Opened before the run, so a bad path fails now rather than after an hour of warming.
            await using var failureList = parse.GetValue(failuresFile) is { Length: > 0 } listPath ? WarmFailureList.Create(listPath) : null;
            var summary = !terminal.Interactive
                ? await RunPlainAsync(terminal, host, planned, ct)
                : await RunWithBarAsync(terminal, host, planned, ct);

            var failed = summary.FailedFiles;
            foreach (var f in failed.Take(ShownFailures))
            {
                terminal.Error.WriteLine($"failed: {f.Path} [{string.Join(", ", f.Presets)}] {f.Reason}: {f.Detail}");
            }

            if (failed.Count > ShownFailures)
            {
                terminal.Error.WriteLine(failureList is null
                    ? $"… and {failed.Count - ShownFailures} more files (--failures FILE lists them all)"
                    : $"… and {failed.Count - ShownFailures} more files (all in {failureList.Path})");
            }

            if (failureList is not null)
            {
                await failureList.WriteAsync(failed, ct);
            }

            if (summary.Evicted.Count > 0)
            {
                terminal.Out.WriteLine($"evicted {summary.Evicted.Count} least recently used renditions ({StatusCommand.Bytes(summary.Evicted.Bytes)}) to stay within the cache budget");
            }

            terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warmed {summary.Warmed}, skipped {summary.Skipped}, failed {summary.Failed} in {summary.Elapsed.TotalSeconds:0.0} s"));
            return 0;
        });
        return command;
    }

    private static List<Preset> Choose(PresetCatalog catalog, string? names)
    {
        if (string.IsNullOrWhiteSpace(names))
        {
            return [.. catalog.All];
        }

        var chosen = new List<Preset>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            chosen.Add(catalog.TryGet(name, out var p)
                ? p
                : throw new ArgumentException($"unknown preset '{name}'; allowed: {string.Join(", ", catalog.All.Select(x => x.Name))}"));
        }

        return chosen;
    }

    private static Task<WarmSummary> RunPlainAsync(Terminal terminal, CommandHost host, List<WarmJobs.Planned> planned, CancellationToken ct)
    {
        var last = DateTime.MinValue;
        var progress = new SyncProgress(p =>
        {
            if (p.Done != p.Total && DateTime.UtcNow - last < TimeSpan.FromSeconds(2))
            {
                return;
            }

            last = DateTime.UtcNow;
            terminal.Out.WriteLine(Line(p));
        });
        return WarmRun.RunAsync(host, planned, progress, ct);
    }

    private static async Task<WarmSummary> RunWithBarAsync(Terminal terminal, CommandHost host, List<WarmJobs.Planned> planned, CancellationToken ct)
    {
        WarmSummary? summary = null;
        await terminal.Ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("warming", maxValue: 1);
                var progress = new SyncProgress(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                    task.Description = Markup.Escape(Line(p));
                });
                summary = await WarmRun.RunAsync(host, planned, progress, ct);
                task.Value = task.MaxValue;
            });
        return summary!;
    }

    private static string Line(WarmProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"{p.Done}/{p.Total} ({(p.Total == 0 ? 100 : 100.0 * p.Done / p.Total):0}%) {p.RatePerSecond:0.0}/s ETA {(p.Eta is { } e ? $"{e.TotalSeconds:0}s" : "–")} warmed {p.Warmed} skipped {p.Skipped} failed {p.Failed}");

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool out of order).</summary>
    private sealed class SyncProgress(Action<WarmProgress> report) : IProgress<WarmProgress>
    {
        public void Report(WarmProgress value) => report(value);
    }
}
