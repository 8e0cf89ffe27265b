using System.Collections.Concurrent;

namespace Tessera.Core.Sources.Chain;

/// <summary>Finds sidecar covers by name, case-insensitively (Cover.JPG made on Windows counts). A folder is
/// listed once and the listing kept until the folder's mtime changes (adding or removing a file changes it),
/// so a request costs one stat of the folder, not one per candidate name.</summary>
public sealed class SidecarFinder(IReadOnlyList<string> names)
{
    /// <summary>Tried in order; "{name}" is the item's file name without its extension. The item's own cover
    /// comes first: in a folder of episodes, each episode's image beats the show's poster.</summary>
    public static readonly IReadOnlyList<string> DefaultNames =
    [
        "{name}.jpg", "{name}.jpeg", "{name}.png", "{name}.webp", "{name}-poster.jpg", "{name}-thumb.jpg",
        "cover.jpg", "cover.jpeg", "cover.png", "cover.webp", "folder.jpg", "folder.jpeg", "folder.png",
        "poster.jpg", "poster.png", "front.jpg", "front.png", "album.jpg", "albumart.jpg",
    ];

    private const int MaxListed = 10_000;
    private const int MaxFolders = 50_000;

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".heic", ".jxl", ".tif", ".tiff",
    };

    private readonly ConcurrentDictionary<string, Listing> _listings = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Names { get; } = names.Count == 0 ? DefaultNames : names;

    /// <summary>The first sidecar of <paramref name="baseName"/> (null: a folder's own cover) in a folder, or null.
    /// Symlinks that lead out of the library are skipped.</summary>
    public string? Find(string directory, string? baseName, FolderLibrary? library) => Find(directory, baseName, library, null);

    /// <summary>As <see cref="Find(string, string?, FolderLibrary?)"/>, with the folder's mtime when this request already
    /// read it (null: stat the folder now).</summary>
    public string? Find(string directory, string? baseName, FolderLibrary? library, long? folderMtime)
    {
        var listing = List(directory, folderMtime);
        if (listing is null)
        {
            return null;
        }

        foreach (var pattern in Names)
        {
            var isOwn = pattern.Contains("{name}", StringComparison.Ordinal);
            if (isOwn && baseName is null)
            {
                continue;
            }

            var candidate = isOwn ? pattern.Replace("{name}", baseName, StringComparison.Ordinal) : pattern;
            if (listing.Images.TryGetValue(candidate, out var actual))
            {
                var full = Path.Combine(directory, actual);
                if (library is null ? new FileInfo(full).LinkTarget is null : library.Contains(full))
                {
                    return full;
                }
            }
        }

        return null;
    }

    /// <summary>The first audio or video file of a folder by name: whose embedded art stands for the folder.</summary>
    public string? FirstMedia(string directory) => List(directory)?.FirstMedia;

    private Listing? List(string directory, long? folderMtime = null)
    {
        if (folderMtime is { } seen && _listings.TryGetValue(directory, out var current) && current.MtimeTicks == seen)
        {
            return current;
        }

        var info = new DirectoryInfo(directory);
        if (!info.Exists)
        {
            return null;
        }

        var mtime = info.LastWriteTimeUtc.Ticks;
        if (_listings.TryGetValue(directory, out var known) && known.MtimeTicks == mtime)
        {
            return known;
        }

        var images = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? firstMedia = null;
        try
        {
            foreach (var file in info.EnumerateFiles().Take(MaxListed))
            {
                if (ImageExtensions.Contains(file.Extension))
                {
                    images.TryAdd(file.Name, file.Name);
                }
                else if (MediaKinds.Of(file.Name) is MediaKind.Audio or MediaKind.Video
                    && (firstMedia is null || string.CompareOrdinal(file.Name, firstMedia) < 0))
                {
                    firstMedia = file.Name;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (_listings.Count >= MaxFolders)
        {
            _listings.Clear();
        }

        var listing = new Listing(mtime, images, firstMedia is null ? null : Path.Combine(directory, firstMedia));
        _listings[directory] = listing;
        return listing;
    }

    private sealed record Listing(long MtimeTicks, Dictionary<string, string> Images, string? FirstMedia);
}
