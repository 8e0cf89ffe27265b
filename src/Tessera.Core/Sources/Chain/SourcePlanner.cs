using Tessera.Core.Cache;
using Tessera.Core.Catalog;

namespace Tessera.Core.Sources.Chain;

/// <summary>Which steps an item's cover is looked for in, in order, and the signature that tells its negative
/// entry the item changed. Embedded art beats a sidecar, a sidecar beats the file itself (a poster beats a
/// random video frame), and provider URLs come last. A catalog image is fetched through <paramref name="catalog"/>
/// (with the upstream's key, from its origin only).</summary>
public sealed class SourcePlanner(Fingerprinter fingerprints, DerivedOriginals derived, FfmpegExtractor ffmpeg, SidecarFinder sidecars,
    Func<Uri, ISourceStep> remote, Func<Uri, ISourceStep>? catalog = null)
{
    public SidecarFinder Sidecars => sidecars;

    /// <summary>The steps, in order; extractions (ffmpeg) run at <paramref name="priority"/>.</summary>
    public IReadOnlyList<ISourceStep> Plan(ThumbnailItem item, WorkPriority priority = WorkPriority.Live)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item switch
        {
            FileItem f => ForPath(f.FullPath, f.Library, priority, f.Stamp, f.FolderMtime),
            RegisteredItem r => [.. (r.FullPath is null ? [] : ForPath(r.FullPath, r.Folder, priority, r.Stamp, r.FolderMtime)), .. r.Urls.Select(remote)],
            RemoteItem u => [remote(u.Url)],
            CatalogImageItem { Url: null } => [new NoCatalogImageStep()],
            CatalogImageItem c => [(catalog ?? throw new InvalidOperationException("no catalog image fetcher is composed"))(c.Url)],
            _ => throw new ArgumentException($"unknown item type {item.GetType().Name}", nameof(item)),
        };
    }

    /// <summary>A stand-in for "has this item changed?" that costs a stat or two: (size, mtime) of the file mixed with
    /// its ctime and inode (so <c>cp -p</c> is seen), and with its folder's mtime when a sidecar could appear there.</summary>
    public static (long Size, long MtimeTicks) Signature(ThumbnailItem item) => item switch
    {
        FileItem f => f.Stamp is { } stamp ? FileSignature(f.FullPath, stamp, () => f.FolderMtime ??= FolderMtimeOf(f.FullPath)) : PathSignature(f.FullPath),
        RegisteredItem r => r.FullPath is null
            ? (-3, r.Registration?.UpdatedAt.UtcTicks ?? 0)
            : Mix(r.Stamp is { } stamp ? FileSignature(r.FullPath, stamp, () => r.FolderMtime ??= FolderMtimeOf(r.FullPath)) : PathSignature(r.FullPath),
                r.Registration?.UpdatedAt.UtcTicks ?? 0),
        CatalogImageItem c => (-5, c.UrlStamp),
        _ => (-4, 0),
    };

    private IReadOnlyList<ISourceStep> ForPath(string fullPath, FolderLibrary? library, WorkPriority priority, FileStamp? stamp = null,
        long? folderMtime = null)
    {
        if (stamp is null && Directory.Exists(fullPath))
        {
            return [new SidecarStep(fullPath, null, sidecars, fingerprints, library, priority: priority), new FolderMediaStep(fullPath, this, priority)];
        }

        var directory = Path.GetDirectoryName(fullPath)!;
        var name = Path.GetFileNameWithoutExtension(fullPath);
        return MediaKinds.Of(fullPath) switch
        {
            MediaKind.Audio => [Embedded(fullPath, priority, stamp), Sidecar(directory, name, library, folderMtime, priority)],
            MediaKind.Video => [Embedded(fullPath, priority, stamp), Sidecar(directory, name, library, folderMtime, priority),
                new MediaStep(fullPath, Steps.Frame, fingerprints, derived, async (p, ct) => await ffmpeg.VideoFrameAsync(p, ct).ConfigureAwait(false), priority, stamp)],
            MediaKind.Document => [Sidecar(directory, name, library, folderMtime, priority), new FileStep(fullPath, fingerprints, stamp: stamp, priority: priority)],
            _ => [new FileStep(fullPath, fingerprints, stamp: stamp, priority: priority)],
        };
    }

    internal MediaStep Embedded(string path, WorkPriority priority, FileStamp? stamp = null) =>
        new(path, Steps.Embedded, fingerprints, derived, ffmpeg.EmbeddedCoverAsync, priority, stamp);

    private SidecarStep Sidecar(string directory, string name, FolderLibrary? library, long? folderMtime, WorkPriority priority) =>
        new(directory, name, sidecars, fingerprints, library, folderMtime, priority);

    // A file's signature from the stat its path resolution took; the folder's mtime, when read, is kept on the item.
    private static (long, long) FileSignature(string fullPath, FileStamp stamp, Func<long> folderMtime) =>
        Stat(stamp, MediaKinds.Of(fullPath) is MediaKind.Audio or MediaKind.Video or MediaKind.Document ? folderMtime() : null);

    private static long FolderMtimeOf(string fullPath) => new DirectoryInfo(Path.GetDirectoryName(fullPath)!).LastWriteTimeUtc.Ticks;

    private static (long, long) PathSignature(string fullPath)
    {
        if (FileStamp.Of(fullPath) is not { } file)
        {
            var folder = new DirectoryInfo(fullPath);
            return folder.Exists ? (-2, folder.LastWriteTimeUtc.Ticks) : (-1, 0);
        }

        return Stat(file, MediaKinds.Of(fullPath) is MediaKind.Audio or MediaKind.Video or MediaKind.Document
            ? new DirectoryInfo(Path.GetDirectoryName(fullPath)!).LastWriteTimeUtc.Ticks
            : null);
    }

    private static (long, long) Stat(FileStamp file, long? folderMtime)
    {
        var stat = file.ChangeMix == 0 ? (file.Size, file.MtimeTicks) : Mix((file.Size, file.MtimeTicks), file.ChangeMix);
        return folderMtime is { } folder ? Mix(stat, folder) : stat;
    }

    // Stable across restarts (negative entries are stored), unlike HashCode.Combine.
    private static (long, long) Mix((long Size, long Mtime) stat, long other) =>
        (stat.Size, stat.Mtime ^ unchecked(other * (long)0x9E3779B97F4A7C15));
}

/// <summary>A folder's cover when it has no sidecar: the embedded art of its first audio or video file.</summary>
internal sealed class FolderMediaStep(string directory, SourcePlanner planner, WorkPriority priority) : ISourceStep
{
    public string Name => Steps.Embedded;

    public Task<StepOutcome> ResolveAsync(CancellationToken cancellationToken) =>
        planner.Sidecars.FirstMedia(directory) is { } first
            ? planner.Embedded(first, priority).ResolveAsync(cancellationToken)
            : Task.FromResult(StepOutcome.Missing(Steps.Embedded, "no audio or video file in the folder"));
}
