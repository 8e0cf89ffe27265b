using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Core.Stats;

namespace Tessera.Core.Warm;

/// <summary>Puts every media file under some paths into the cache at some presets, in parallel across files.
/// Fresh renditions are skipped, so a second run costs a stat and a hash lookup per file.</summary>
public sealed class Warmer(ThumbnailService service, RequestCounters counters, Eviction.Evictor evictor, Index.IStatsIndex stats)
{
    /// <summary>Media files (image, video, PDF, audio) under the paths, in a stable order.</summary>
    public static IReadOnlyList<string> Discover(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full))
            {
                files.Add(full);
            }
            else if (Directory.Exists(full))
            {
                var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden };
                foreach (var file in Directory.EnumerateFiles(full, "*", options))
                {
                    if (MediaKinds.Of(file) != MediaKind.Other)
                    {
                        files.Add(file);
                    }
                }
            }
            else
            {
                throw new DirectoryNotFoundException($"{path}: no such file or folder");
            }
        }

        return [.. files];
    }

    /// <summary>Biggest files first, so the workers finish together instead of one chewing the last large photo
    /// alone (longest-processing-time-first scheduling; file size stands in for decode cost).</summary>
    private static List<string> LargestFirst(IReadOnlyList<string> files) =>
        files.Select(f => (File: f, Size: SizeOf(f))).OrderByDescending(x => x.Size).Select(x => x.File).ToList();

    private static long SizeOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The formats a preset is warmed in: its own, or for "auto" the ones browsers ask for.</summary>
    public static IReadOnlyList<OutputFormat> FormatsOf(Preset preset)
    {
        ArgumentNullException.ThrowIfNull(preset);
        return preset.Format == OutputFormat.Auto ? [OutputFormat.Avif, OutputFormat.WebP] : [Formats.Resolve(preset.Format, null)];
    }

    public async Task<WarmSummary> RunAsync(IReadOnlyList<string> files, IReadOnlyList<Preset> presets, int parallel,
        IProgress<WarmProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(presets);
        var perFile = presets.Sum(p => FormatsOf(p).Count);
        var total = files.Count * perFile;
        var started = System.Diagnostics.Stopwatch.StartNew();
        int warmed = 0, skipped = 0, failed = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<WarmFailure>();
        void Report() => progress?.Report(new WarmProgress(Volatile.Read(ref warmed) + Volatile.Read(ref skipped) + Volatile.Read(ref failed),
            total, Volatile.Read(ref warmed), Volatile.Read(ref skipped), Volatile.Read(ref failed), started.Elapsed));

        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(LargestFirst(files), options, async (file, ct) =>
        {
            // One file's presets run in sequence: the source is hashed once and stays in the page cache.
            foreach (var preset in presets)
            {
                foreach (var format in FormatsOf(preset))
                {
                    var result = await service.EnsureAsync(file, preset, format, WorkPriority.Background, ct).ConfigureAwait(false);
                    if (result is null)
                    {
                        Interlocked.Increment(ref skipped);
                    }
                    else if (result.Outcome == ThumbnailOutcome.Failed)
                    {
                        Interlocked.Increment(ref failed);
                        failures.Enqueue(new WarmFailure(file, preset.Name, result.Failure?.ToString() ?? "error", result.Detail ?? string.Empty));
                    }
                    else
                    {
                        Interlocked.Increment(ref warmed);
                        counters.Increment(Counter.Warmed);
                    }

                    Report();
                }
            }
        }).ConfigureAwait(false);

        // A warm must not leave the cache over budget; the server's evictor may not be running.
        var evicted = await evictor.RunOnceAsync(CancellationToken.None).ConfigureAwait(false);
        await counters.FlushAsync(stats, CancellationToken.None).ConfigureAwait(false);
        return new WarmSummary(warmed, skipped, failed, started.Elapsed, [.. failures], evicted);
    }
}
