using Tessera.Core.Cache;
using Tessera.Core.Pipeline;

namespace Tessera.Core.Sources.Chain;

/// <summary>A file read in place (the item itself, or a sidecar): its original is the file, named by its content hash.
/// Background work's fingerprints are not kept in memory (<see cref="Fingerprinter.GetAsync(string, FileStamp?, bool, CancellationToken)"/>).</summary>
public sealed class FileStep(string path, Fingerprinter fingerprints, string name = Steps.File, FileStamp? stamp = null,
    WorkPriority priority = WorkPriority.Live) : ISourceStep
{
    public string Name => name;

    public async Task<StepOutcome> ResolveAsync(CancellationToken cancellationToken)
    {
        try
        {
            var fp = await fingerprints.GetAsync(path, stamp, priority == WorkPriority.Live, cancellationToken).ConfigureAwait(false);
            return StepOutcome.Of(new Original(fp.ContentHash, name, path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return StepOutcome.Missing(name, "source file not found");
        }
        catch (ThumbnailException e)
        {
            return StepOutcome.Failed(name, e.Reason, e.Message);
        }
    }
}

/// <summary>A cover image beside the item (cover.jpg, folder.jpg, &lt;basename&gt;.jpg, …).</summary>
public sealed class SidecarStep(string directory, string? baseName, SidecarFinder finder, Fingerprinter fingerprints, FolderLibrary? library,
    long? folderMtime = null, WorkPriority priority = WorkPriority.Live) : ISourceStep
{
    public string Name => Steps.Sidecar;

    public Task<StepOutcome> ResolveAsync(CancellationToken cancellationToken)
    {
        var found = finder.Find(directory, baseName, library, folderMtime);
        return found is null
            ? Task.FromResult(StepOutcome.Nothing(Steps.Sidecar, "no sidecar image"))
            : new FileStep(found, fingerprints, Steps.Sidecar, priority: priority).ResolveAsync(cancellationToken);
    }
}

/// <summary>An image ffmpeg takes out of a media file: its embedded cover, or a video frame. What it derives is
/// remembered per content hash of the media file, so ffmpeg runs once per file, not once per preset or request.</summary>
public sealed class MediaStep(string path, string name, Fingerprinter fingerprints, DerivedOriginals derived,
    Func<string, CancellationToken, Task<byte[]?>> extract, WorkPriority priority = WorkPriority.Live, FileStamp? stamp = null) : ISourceStep
{
    public string Name => name;

    public async Task<StepOutcome> ResolveAsync(CancellationToken cancellationToken)
    {
        Index.Fingerprint fp;
        try
        {
            fp = await fingerprints.GetAsync(path, stamp, priority == WorkPriority.Live, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return StepOutcome.Missing(name, "source file not found");
        }
        catch (ThumbnailException e)
        {
            return StepOutcome.Failed(name, e.Reason, e.Message);
        }

        return await derived.GetAsync(fp.ContentHash, name, ct => extract(path, ct), priority, cancellationToken).ConfigureAwait(false);
    }
}
