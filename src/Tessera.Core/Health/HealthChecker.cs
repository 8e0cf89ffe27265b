using Tessera.Core.Engine;
using Tessera.Core.Sources;
using Tessera.Core.Storage;

namespace Tessera.Core.Health;

/// <summary>Readiness: the index answers, the data folder takes writes and has room, libvips and ffmpeg are
/// there, and the encode queue is not saturated.</summary>
public sealed class HealthChecker(Index.IStatsIndex stats, DataFolder folder, Cache.GenerationLimiter limiter, TesseraOptions options)
{
    /// <summary>Below this much free disk the cache is reported unhealthy: Cache:MinFreeDisk, the same "low disk"
    /// eviction acts on (see <see cref="Eviction.BudgetOptions.CheckDisk"/>), unless set here. 0 turns the check off.</summary>
    public long? MinFreeDiskBytes { get; init; }

    private string? _ffmpegVersion;

    /// <summary>Every check, in the order they are reported. "queue" and "libraries" are readiness only: a busy server,
    /// or one whose library mount went away, is still alive.</summary>
    public static IReadOnlyList<string> Names { get; } = ["database", "data folder", "free disk", "libvips", "ffmpeg", "queue", "libraries"];

    /// <summary>The checks that say whether to send traffic, not whether the process lives.</summary>
    public static bool IsReadinessOnly(string name) => name is "queue" or "libraries" or "free disk"; // a restart frees neither

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new List<HealthCheck>(Names.Count);
        foreach (var name in Names)
        {
            checks.Add(await CheckAsync(name, cancellationToken).ConfigureAwait(false));
        }

        return new HealthReport(checks.All(c => c.Ok), checks);
    }

    /// <summary>One check by name (see <see cref="Names"/>).</summary>
    public async Task<HealthCheck> CheckAsync(string name, CancellationToken cancellationToken) => name switch
    {
        "database" => await DatabaseAsync(cancellationToken).ConfigureAwait(false),
        "data folder" => Writable(),
        "free disk" => FreeDisk(),
        "libvips" => Libvips(),
        "ffmpeg" => await FfmpegAsync(cancellationToken).ConfigureAwait(false),
        "queue" => Queue(),
        "libraries" => LibraryFolders.Check(options.Libraries),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such health check"),
    };

    private async Task<HealthCheck> DatabaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            var summary = await stats.SummarizeAsync(cancellationToken).ConfigureAwait(false);
            return new HealthCheck("database", true, $"{summary.Renditions} renditions indexed");
        }
        catch (Exception e) when (e is Index.IndexException or IOException or InvalidOperationException)
        {
            return new HealthCheck("database", false, e.Message);
        }
    }

    /// <summary>Checked without writing (no probe file: the check runs often, beside a server's work, and from read-only
    /// commands): the folder and its tmp/ and renditions/ are there, on a writable mount, with write permission.</summary>
    private HealthCheck Writable()
    {
        foreach (var path in new[] { folder.Root, folder.TempPath, folder.RenditionsPath })
        {
            if (FolderAccess.WhyNotWritable(path) is { } why)
            {
                return new HealthCheck("data folder", false, $"{path} is not writable: {why}");
            }
        }

        return new HealthCheck("data folder", true, $"{folder.Root} is writable");
    }

    private HealthCheck FreeDisk()
    {
        var disk = options.Budget.CheckDisk(folder.Root, MinFreeDiskBytes);
        return new HealthCheck("free disk", !disk.Low, $"{disk.FreeBytes / (1024 * 1024)} MiB free (minimum {disk.MinFreeBytes / (1024 * 1024)} MiB)");
    }

    private static HealthCheck Libvips()
    {
        try
        {
            return new HealthCheck("libvips", true, VipsEngine.Version);
        }
        catch (Exception e) when (e is DllNotFoundException or EngineException or EntryPointNotFoundException)
        {
            return new HealthCheck("libvips", false, $"libvips.so.42 cannot be loaded: {e.Message}");
        }
    }

    private async Task<HealthCheck> FfmpegAsync(CancellationToken cancellationToken)
    {
        if (_ffmpegVersion is null)
        {
            try
            {
                var output = await ProcessRunner.RunAsync(options.Ffmpeg.FfmpegPath, ["-version"], TimeSpan.FromSeconds(5), 1 << 16, cancellationToken).ConfigureAwait(false);
                _ffmpegVersion = System.Text.Encoding.UTF8.GetString(output).Split('\n')[0].Trim();
            }
            catch (Exception e) when (e is ExternalToolException or TimeoutException)
            {
                return new HealthCheck("ffmpeg", false, e.Message);
            }
        }

        return new HealthCheck("ffmpeg", true, _ffmpegVersion);
    }

    private HealthCheck Queue()
    {
        // Only the live queue can fill (past it, requests get 429); background work waits without bound.
        var full = limiter.QueuedLive >= options.MaxQueuedEncodes && options.MaxQueuedEncodes > 0;
        return new HealthCheck("queue", !full, $"live: {limiter.Running - limiter.RunningBackground} encoding, {limiter.QueuedLive} waiting "
            + $"(limit {options.MaxQueuedEncodes}); background: {limiter.RunningBackground} encoding (share {limiter.BackgroundShare}), "
            + $"{limiter.QueuedBackground} waiting");
    }
}
