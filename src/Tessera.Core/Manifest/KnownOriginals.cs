using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Sources.Chain;

namespace Tessera.Core.Manifest;

/// <summary>What the index knows, for one manifest, of files' content hashes and of originals derived from media
/// files and URLs; and how an item's steps come out against it.</summary>
internal sealed record KnownOriginals(
    IReadOnlyDictionary<string, string> FileHashes,
    IReadOnlyDictionary<string, DerivedOriginal> Embedded,
    IReadOnlyDictionary<string, DerivedOriginal> Frames,
    IReadOnlyDictionary<string, DerivedOriginal> Remote)
{
    /// <summary>The original's hash from the first step that gives one; else the file whose header tells the would-be
    /// size (the first unknown file step), and whether every step is known to give nothing.</summary>
    public (string? Hash, string? Probe, bool Nothing) Walk(IReadOnlyList<PeekStep> steps, NegativeCache negatives)
    {
        foreach (var step in steps)
        {
            switch (step)
            {
                case PeekStep.File file:
                    return FileHashes.TryGetValue(file.Path, out var hash) ? (hash, null, false) : (null, file.Path, false);

                case PeekStep.Derived media:
                    if (!FileHashes.TryGetValue(media.Path, out var source)
                        || !(media.Step == Steps.Frame ? Frames : Embedded).TryGetValue(source, out var derived))
                    {
                        return (null, null, false); // ffmpeg has not looked yet
                    }

                    if (derived.Original is { } original)
                    {
                        return (original, null, false);
                    }

                    break; // known to have nothing: the next step

                case PeekStep.Remote remote:
                    if (negatives.Active(RemoteOriginals.Identity(remote.Url), RemoteOriginals.UrlSignature) is not null)
                    {
                        break; // a failed URL is skipped until its retry time, as the chain does
                    }

                    return Remote.TryGetValue(remote.Url.AbsoluteUri, out var download) && download.Original is { } downloaded
                        ? (downloaded, null, false)
                        : (null, null, false); // not downloaded: never fetched here
            }
        }

        return (null, null, steps.Count > 0);
    }
}
