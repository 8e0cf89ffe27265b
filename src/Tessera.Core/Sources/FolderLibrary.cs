using System.Collections.Concurrent;

namespace Tessera.Core.Sources;

/// <summary>A named folder of media. Resolves request paths to files inside it and nowhere else.</summary>
public sealed class FolderLibrary
{
    private const int MaxKnown = 200_000;

    // Request paths already walked to a file inside the library, with the version of the file found there.
    private readonly ConcurrentDictionary<string, Known> _known = new(StringComparer.Ordinal);

    public FolderLibrary(string name, string root)
    {
        if (string.IsNullOrWhiteSpace(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || name.StartsWith('.'))
        {
            throw new ArgumentException($"library name '{name}' must be letters, digits, '-', '_' or '.'", nameof(name));
        }

        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"library '{name}': folder {full} does not exist");
        }

        Name = name;
        Root = RealPath(full);
    }

    public string Name { get; }

    /// <summary>The library folder with every symlink resolved.</summary>
    public string Root { get; }

    /// <summary>Maps a request path (already URL-decoded once) to a file inside the library.
    /// Rejects "..", ".", empty segments, backslashes, NUL, control characters and absolute paths; follows
    /// symlinks only while they stay inside the library. A file found before costs one stat: when the path still
    /// leads to the same version of the same file (device, inode, ctime), it is the file the walk found inside the
    /// library, whatever a symlink along the way now says; anything else is walked again. The stat is handed on
    /// (<see cref="PathResolution.Stamp"/>) so the fingerprint does not stat the file again.</summary>
    public PathResolution Resolve(string relativePath)
    {
        try
        {
            if (Check(relativePath) is { } invalid)
            {
                return invalid;
            }

            var stamp = FileStamp.Probe(Path.Combine(Root, relativePath), out var isFolder);
            if (stamp is null && !isFolder)
            {
                return PathResolution.Missing; // nothing there, a dangling or looping symlink, or no access
            }

            if (stamp is { } s && _known.TryGetValue(relativePath, out var known) && known.Stamp.IsSameVersion(s))
            {
                return PathResolution.Found(known.FullPath, s);
            }

            var walked = ResolveInside(relativePath);
            if (walked.Outcome == PathOutcome.Found && FileStamp.Of(walked.FullPath!) is { Inode: not null } found)
            {
                if (_known.Count >= MaxKnown)
                {
                    _known.Clear();
                }

                _known[relativePath] = new Known(walked.FullPath!, found);
                return PathResolution.Found(walked.FullPath!, found);
            }

            return walked;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Symlink loops ("too many levels of symbolic links") and unreadable folders: nothing to serve.
            return PathResolution.Missing;
        }
    }

    private static PathResolution? Check(string relativePath)
    {
        if (string.IsNullOrEmpty(relativePath) || relativePath.Length > 4096)
        {
            return PathResolution.Invalid("empty or overlong path");
        }

        // Spans, no allocation: every request of a library file passes here.
        var path = relativePath.AsSpan();
        if (path[0] == '/' || path.Contains('\\') || path.ContainsAnyInRange('\u0000', '\u001F') || path.ContainsAnyInRange('\u007F', '\u009F'))
        {
            return PathResolution.Invalid("absolute paths, backslashes and control characters are not allowed");
        }

        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.IsEmpty || segment is "." or "..")
            {
                return PathResolution.Invalid("'.', '..' and empty path segments are not allowed");
            }
        }

        return null;
    }

    private PathResolution ResolveInside(string relativePath)
    {
        var segments = relativePath.Split('/');
        var current = Root;
        foreach (var segment in segments)
        {
            current = Path.Combine(current, segment);
            FileSystemInfo info = new FileInfo(current);
            if (!info.Exists)
            {
                info = new DirectoryInfo(current);
                if (!info.Exists)
                {
                    return PathResolution.Missing;
                }
            }

            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !target.Exists)
                {
                    return PathResolution.Missing;
                }

                current = RealPath(target.FullName);
                if (!IsInside(current))
                {
                    return PathResolution.Invalid("the path leads outside the library");
                }
            }
        }

        // A folder is an item too (an album, an audiobook): its cover is a sidecar or its first track's art.
        return File.Exists(current) || Directory.Exists(current) ? PathResolution.Found(current) : PathResolution.Missing;
    }

    /// <summary>Whether a full path, symlinks resolved, is inside the library: sidecars found by name are checked
    /// with it, so a cover.jpg that links out of the library is never read.</summary>
    public bool Contains(string fullPath)
    {
        try
        {
            return IsInside(RealPath(fullPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private bool IsInside(string path) =>
        path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Resolves every symlink along a path, component by component.</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var segment in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = RealPath(target.FullName);
            }
        }

        return current;
    }

    private sealed record Known(string FullPath, FileStamp Stamp);
}
