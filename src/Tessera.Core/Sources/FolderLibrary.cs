namespace Tessera.Core.Sources;

/// <summary>A named folder of media. Resolves request paths to files inside it and nowhere else.</summary>
public sealed class FolderLibrary
{
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
    /// symlinks only while they stay inside the library.</summary>
    public PathResolution Resolve(string relativePath)
    {
        try
        {
            return ResolveInside(relativePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Symlink loops ("too many levels of symbolic links") and unreadable folders: nothing to serve.
            return PathResolution.Missing;
        }
    }

    private PathResolution ResolveInside(string relativePath)
    {
        if (string.IsNullOrEmpty(relativePath) || relativePath.Length > 4096)
        {
            return PathResolution.Invalid("empty or overlong path");
        }

        if (relativePath[0] == '/' || relativePath.Contains('\\', StringComparison.Ordinal) || relativePath.Any(char.IsControl))
        {
            return PathResolution.Invalid("absolute paths, backslashes and control characters are not allowed");
        }

        var segments = relativePath.Split('/');
        if (segments.Any(s => s.Length == 0 || s == "." || s == ".."))
        {
            return PathResolution.Invalid("'.', '..' and empty path segments are not allowed");
        }

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
}
