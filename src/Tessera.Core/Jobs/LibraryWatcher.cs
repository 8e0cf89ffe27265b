using Microsoft.Extensions.Logging;
using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Sources;

namespace Tessera.Core.Jobs;

/// <summary>Watches each folder library: created, changed and renamed files are gathered until the library has been
/// quiet for <see cref="JobOptions.WatchCoalesce"/> (at most five times that), then warmed as one job of just those
/// paths (trigger "change"); deleted files lose their renditions at once. A library whose filesystem gives no
/// notifications, or a watcher error, is logged once: the schedule still covers it.</summary>
public sealed class LibraryWatcher(IJobService jobs, IReadOnlyDictionary<string, FolderLibrary> libraries, CacheAdmin admin, JobOptions options,
    ILogger<LibraryWatcher> logger) : IDisposable
{
    private readonly List<Watched> _watched = [];
    private readonly Lock _gate = new();
    private bool _disposed;

    private ILogger Logger => logger;

    private TimeSpan Coalesce => options.WatchCoalesce;

    /// <summary>Starts watching every folder library; returns how many are watched.</summary>
    public int Start()
    {
        foreach (var library in libraries.Values)
        {
            Watched watched;
            try
            {
                watched = new Watched(this, library);
            }
            catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
            {
                JobLog.WatchFailed(logger, library.Name, e.Message);
                continue;
            }

            lock (_gate)
            {
                if (_disposed)
                {
                    // The host is going away while the watchers start (e.g. the port was taken): stop here.
                    watched.Dispose();
                    return 0;
                }

                _watched.Add(watched);
            }
        }

        lock (_gate)
        {
            return _watched.Count;
        }
    }

    /// <summary>Stops every watcher. Safe from any thread, also while <see cref="Start"/> runs (the container disposes
    /// this while the jobs service may still be starting watchers), and more than once.</summary>
    public void Dispose()
    {
        List<Watched> watched;
        lock (_gate)
        {
            _disposed = true;
            watched = [.. _watched];
            _watched.Clear();
        }

        watched.ForEach(w => w.Dispose());
    }

    /// <summary>Queues the warm of a library's changed paths (those still there).</summary>
    private async Task FlushAsync(FolderLibrary library, IReadOnlyCollection<string> paths)
    {
        var present = paths.Where(p => library.Resolve(p).Outcome == PathOutcome.Found).Order(StringComparer.Ordinal).ToList();
        // A folder moved in comes with its files' own events: the folder covers them.
        present.RemoveAll(p => present.Any(folder => p.StartsWith(folder + "/", StringComparison.Ordinal)));
        if (present.Count == 0)
        {
            return;
        }

        try
        {
            await jobs.CreateAsync(new JobRequest("warm", Library: library.Name, Paths: present, Trigger: JobTrigger.Change), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is IndexException or JobRequestException)
        {
            JobLog.TriggerFailed(logger, e.Message);
        }
    }

    private async Task DeletedAsync(string fullPath)
    {
        try
        {
            await admin.PurgeFileAsync(fullPath, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IndexException or IOException)
        {
            JobLog.TriggerFailed(logger, e.Message);
        }
    }

    /// <summary>One library's watcher and its pending paths.</summary>
    private sealed class Watched : IDisposable
    {
        private readonly LibraryWatcher _owner;
        private readonly FolderLibrary _library;
        private readonly FileSystemWatcher _watcher;
        private readonly Lock _gate = new();
        private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
        private readonly Timer _timer;
        private DateTimeOffset _firstPending;
        private bool _errorLogged;

        public Watched(LibraryWatcher owner, FolderLibrary library)
        {
            _owner = owner;
            _library = library;
            _timer = new Timer(_ => Flush());
            _watcher = new FileSystemWatcher(library.Root)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            _watcher.Created += (_, e) => Changed(e.FullPath, created: true);
            _watcher.Changed += (_, e) => Changed(e.FullPath, created: false);
            _watcher.Renamed += (_, e) =>
            {
                Deleted(e.OldFullPath);
                Changed(e.FullPath, created: true);
            };
            _watcher.Deleted += (_, e) => Deleted(e.FullPath);
            _watcher.Error += (_, e) =>
            {
                if (!_errorLogged)
                {
                    _errorLogged = true;
                    JobLog.WatchFailed(_owner.Logger, _library.Name, e.GetException().Message);
                }
            };
            _watcher.EnableRaisingEvents = true;
        }

        private void Changed(string fullPath, bool created)
        {
            var relative = Relative(fullPath);
            // A folder's own change events come with every file added to it: only a folder moved in counts.
            if (relative is null || (Directory.Exists(fullPath) ? !created : MediaKinds.Of(fullPath) == MediaKind.Other))
            {
                return;
            }

            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _firstPending = DateTimeOffset.UtcNow;
                }

                _pending.Add(relative);
                // Quiet for the coalescing time, but never pending for more than five times it.
                var wait = _owner.Coalesce;
                var cap = _firstPending + (wait * 5) - DateTimeOffset.UtcNow;
                _timer.Change(wait < cap ? wait : cap > TimeSpan.Zero ? cap : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }
        }

        private void Deleted(string fullPath)
        {
            if (Relative(fullPath) is null)
            {
                return;
            }

            lock (_gate)
            {
                _pending.Remove(Relative(fullPath)!);
            }

            _ = _owner.DeletedAsync(fullPath);
        }

        private void Flush()
        {
            List<string> paths;
            lock (_gate)
            {
                paths = [.. _pending];
                _pending.Clear();
            }

            if (paths.Count > 0)
            {
                _ = _owner.FlushAsync(_library, paths);
            }
        }

        /// <summary>The path relative to the library with '/' separators, or null for hidden paths and the root itself.</summary>
        private string? Relative(string fullPath)
        {
            var relative = Path.GetRelativePath(_library.Root, fullPath).Replace(Path.DirectorySeparatorChar, '/');
            return relative is "." || relative.StartsWith("..", StringComparison.Ordinal) || relative.Split('/').Any(s => s.StartsWith('.'))
                ? null
                : relative;
        }

        public void Dispose()
        {
            _watcher.Dispose();
            _timer.Dispose();
        }
    }
}
