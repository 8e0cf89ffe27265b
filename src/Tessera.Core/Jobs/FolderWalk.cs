using Tessera.Core.Sources;

namespace Tessera.Core.Jobs;

/// <summary>The media files of a folder (or some paths in it) as relative paths in ordinal order, lazily, after a
/// cursor: discovery's resume point is the last path it wrote, and a resumed walk skips whole folders before it.
/// Folders sort as "name/", so a depth-first walk yields paths in exactly the ordinal order the cursor compares by.</summary>
internal static class FolderWalk
{
    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden,
    };

    /// <summary>Files under <paramref name="root"/>, or under its relative <paramref name="paths"/> (files or folders).</summary>
    public static IEnumerable<string> Files(string root, IReadOnlyList<string>? paths, string? cursor)
    {
        if (paths is null)
        {
            foreach (var file in Walk(root, string.Empty, cursor))
            {
                yield return file;
            }

            yield break;
        }

        foreach (var start in Starts(root, paths))
        {
            var full = Path.Combine(root, start);
            if (Directory.Exists(full))
            {
                foreach (var file in Walk(full, start + "/", cursor))
                {
                    yield return file;
                }
            }
            else if (File.Exists(full) && After(start, cursor))
            {
                // Named explicitly: warmed whatever its extension (the source chain decides).
                yield return start;
            }
        }
    }

    /// <summary>Paths sorted as the walk orders them, those inside another listed folder dropped.</summary>
    private static List<string> Starts(string root, IReadOnlyList<string> paths)
    {
        var keyed = paths.Distinct(StringComparer.Ordinal)
            .Select(p => Directory.Exists(Path.Combine(root, p)) ? p + "/" : p)
            .Order(StringComparer.Ordinal)
            .ToList();
        var starts = new List<string>();
        foreach (var key in keyed)
        {
            if (starts.Count == 0 || !starts[^1].EndsWith('/') || !key.StartsWith(starts[^1], StringComparison.Ordinal))
            {
                starts.Add(key);
            }
        }

        return [.. starts.Select(s => s.TrimEnd('/'))];
    }

    private static IEnumerable<string> Walk(string folder, string prefix, string? cursor)
    {
        List<(string Key, bool Folder)> entries;
        try
        {
            entries = [.. new DirectoryInfo(folder).EnumerateFileSystemInfos("*", OneLevel)
                .Where(e => e is FileInfo || e.LinkTarget is null) // folder links are not followed (no loops)
                .Select(e => e is DirectoryInfo ? (prefix + e.Name + "/", true) : (prefix + e.Name, false))
                .OrderBy(e => e.Item1, StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break; // vanished or unreadable: nothing to warm there
        }

        foreach (var (key, isFolder) in entries)
        {
            if (!isFolder)
            {
                if (After(key, cursor) && MediaKinds.Of(key) != MediaKind.Other)
                {
                    yield return key;
                }

                continue;
            }

            // A folder wholly before the cursor was walked already.
            if (cursor is not null && string.CompareOrdinal(key, cursor) < 0 && !cursor.StartsWith(key, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var file in Walk(Path.Combine(folder, key[prefix.Length..^1]), key, cursor))
            {
                yield return file;
            }
        }
    }

    private static bool After(string path, string? cursor) => cursor is null || string.CompareOrdinal(path, cursor) > 0;
}
