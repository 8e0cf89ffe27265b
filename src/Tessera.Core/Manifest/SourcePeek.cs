using Tessera.Core.Sources;
using Tessera.Core.Sources.Chain;

namespace Tessera.Core.Manifest;

/// <summary>One step of an item's source chain as the manifest sees it: nothing is read, hashed, extracted or
/// fetched. A file step needs the file's stored fingerprint (still matching its stamp); an embedded or frame step also
/// what was derived from it; a remote step what was downloaded from the URL.</summary>
internal abstract record PeekStep
{
    /// <summary>A file read in place (the item or its sidecar).</summary>
    internal sealed record File(string Path) : PeekStep;

    /// <summary>An image ffmpeg takes out of a media file ("embedded" or "frame").</summary>
    internal sealed record Derived(string Path, string Step) : PeekStep;

    /// <summary>A provider URL.</summary>
    internal sealed record Remote(Uri Url) : PeekStep;

    /// <summary>A step that is known to give nothing (no sidecar beside the file).</summary>
    internal sealed record None : PeekStep;
}

/// <summary>The steps <see cref="SourcePlanner"/> would try for a file or folder, in its order, without running any.</summary>
internal static class SourcePeek
{
    public static IReadOnlyList<PeekStep> ForPath(string fullPath, FolderLibrary? library, SidecarFinder sidecars)
    {
        if (Directory.Exists(fullPath))
        {
            return [Sidecar(fullPath, null, library, sidecars), sidecars.FirstMedia(fullPath) is { } first ? new PeekStep.Derived(first, Steps.Embedded) : new PeekStep.None()];
        }

        var directory = Path.GetDirectoryName(fullPath)!;
        var name = Path.GetFileNameWithoutExtension(fullPath);
        return MediaKinds.Of(fullPath) switch
        {
            MediaKind.Audio => [new PeekStep.Derived(fullPath, Steps.Embedded), Sidecar(directory, name, library, sidecars)],
            MediaKind.Video => [new PeekStep.Derived(fullPath, Steps.Embedded), Sidecar(directory, name, library, sidecars), new PeekStep.Derived(fullPath, Steps.Frame)],
            MediaKind.Document => [Sidecar(directory, name, library, sidecars), new PeekStep.File(fullPath)],
            _ => [new PeekStep.File(fullPath)],
        };
    }

    private static PeekStep Sidecar(string directory, string? name, FolderLibrary? library, SidecarFinder sidecars) =>
        sidecars.Find(directory, name, library) is { } found ? new PeekStep.File(found) : new PeekStep.None();
}
