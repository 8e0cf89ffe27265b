using Tessera.Core.Jobs;
using Tessera.Core.Sources;
using Tessera.Core.Warm;

namespace Tessera.Cli.Commands;

/// <summary>What <c>tessera warm</c> asks the job engine for: one warm job per library (or ad-hoc folder) its paths
/// fall in, created or, when an active one has the same scope, found again, so a killed warm resumes.</summary>
internal static class WarmJobs
{
    /// <summary>A job of the run, and the folder its items are relative to (null for app items).</summary>
    public sealed record Planned(long Id, string? Root);

    public static async Task<List<Planned>> CreateAsync(JobService jobs, WarmKind kind, IReadOnlyDictionary<string, FolderLibrary> libraries,
        IReadOnlyList<string> paths, IReadOnlyList<string>? presets, CancellationToken cancellationToken)
    {
        var groups = new SortedDictionary<string, (string? Library, string Root, SortedSet<string>? Paths)>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                throw new DirectoryNotFoundException($"{path}: no such file or folder");
            }

            var (library, root, relative) = Locate(libraries, full);
            var key = library ?? "folder:" + root;
            (string? Library, string Root, SortedSet<string>? Paths) group = groups.TryGetValue(key, out var g) ? g : (library, root, new SortedSet<string>(StringComparer.Ordinal));
            if (relative is null)
            {
                group.Paths = null; // the whole folder
            }
            else
            {
                group.Paths?.Add(relative);
            }

            groups[key] = group;
        }

        var planned = new List<Planned>();
        foreach (var (library, root, relative) in groups.Values)
        {
            var list = relative is null ? null : relative.ToList();
            var (view, _) = library is not null
                ? await jobs.CreateAsync(new JobRequest("warm", Library: library, Paths: list, Presets: presets), cancellationToken).ConfigureAwait(false)
                : await jobs.StoreAsync(WarmKind.KindName, kind.DefineFolder(root, list, presets), JobTrigger.Manual, 0, null, cancellationToken).ConfigureAwait(false);
            planned.Add(new Planned(view.Record.Id, root));
        }

        return planned;
    }

    /// <summary>The library a path is in (or its own folder), and the path relative to that (null: all of it).</summary>
    private static (string? Library, string Root, string? Relative) Locate(IReadOnlyDictionary<string, FolderLibrary> libraries, string full)
    {
        foreach (var library in libraries.Values.OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            var root = Path.TrimEndingDirectorySeparator(library.Root);
            if (full == root)
            {
                return (library.Name, root, null);
            }

            if (full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return (library.Name, root, Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/'));
            }
        }

        return Directory.Exists(full) ? (null, full, null) : (null, Path.GetDirectoryName(full)!, Path.GetFileName(full));
    }

    /// <summary>The run's progress from its jobs' counters.</summary>
    public static WarmProgress Progress(IReadOnlyList<JobView> jobs, TimeSpan elapsed)
    {
        long total = jobs.Sum(j => j.Record.Counts.Total), completed = jobs.Sum(j => j.Record.Counts.Completed);
        long skipped = jobs.Sum(j => j.Record.Counts.Skipped), failed = jobs.Sum(j => j.Record.Counts.Failed);
        return new WarmProgress((int)(completed + skipped + failed), (int)total, (int)completed, (int)skipped, (int)failed, elapsed);
    }
}
