namespace Tessera.Core.Storage;

/// <summary>Who owns a temp file in &lt;data&gt;/tmp/: each writing process names its temp files "&lt;owner&gt;~…" and holds
/// an exclusive lock on tmp/owners/&lt;owner&gt;.lock for as long as it lives (.NET takes flock(2) for FileShare.None).
/// The kernel drops the lock when the process ends, however it ends (kill -9 too), so "the lock can be taken" means
/// "its writer is gone". Unlike a pid check this holds across pid namespaces (a CLI in another container on the
/// same volume) and pid reuse; unlike an age rule it never deletes a slow write nor keeps garbage for hours.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "the lock is held for the life of the process on purpose; the kernel drops it at exit")]
internal sealed class TempOwners(string tempPath)
{
    /// <summary>Temp files without an owner (older Tessera, layout.json writes) are swept only past this age.</summary>
    public static readonly TimeSpan UnownedAge = TimeSpan.FromHours(1);

    private const char Separator = '~';
    private readonly Lock _gate = new();
    private FileStream? _held;
    private string? _id;

    public string OwnersPath => Path.Combine(tempPath, "owners");

    /// <summary>A fresh temp path owned by this process; without a lock (a full disk refused the lock file) the name
    /// has no owner and falls under the age rule.</summary>
    public string NewPath(string name) =>
        Path.Combine(tempPath, Own() is { } id ? $"{id}{Separator}{name}" : name);

    /// <summary>Deletes temp files whose writer is gone (and their owners' lock files); returns how many files.</summary>
    public int Sweep(DateTime utcNow)
    {
        if (!Directory.Exists(tempPath))
        {
            return 0;
        }

        var alive = new Dictionary<string, bool>(StringComparer.Ordinal);
        var swept = 0;
        foreach (var file in Directory.EnumerateFiles(tempPath))
        {
            var name = Path.GetFileName(file);
            var cut = name.IndexOf(Separator, StringComparison.Ordinal);
            var stale = cut > 0
                ? !IsAlive(name[..cut], alive)
                : utcNow - File.GetLastWriteTimeUtc(file) > UnownedAge;
            if (stale && TryDelete(file))
            {
                swept++;
            }
        }

        SweepOwners();
        return swept;
    }

    private string? Own()
    {
        lock (_gate)
        {
            for (var attempt = 0; _held is null && attempt < 3; attempt++)
            {
                var id = $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..24];
                try
                {
                    Directory.CreateDirectory(OwnersPath);
                    _held = new FileStream(LockPath(id), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
                    _id = id;
                }
                catch (IOException)
                {
                    // A sweeper locked it between create and lock (it then deletes it), or the disk is full: try a new id.
                }
                catch (UnauthorizedAccessException)
                {
                    break;
                }
            }

            return _id;
        }
    }

    private bool IsAlive(string owner, Dictionary<string, bool> known)
    {
        if (owner == _id)
        {
            return true;
        }

        if (!known.TryGetValue(owner, out var alive))
        {
            alive = File.Exists(LockPath(owner)) && !CanLock(LockPath(owner), delete: false);
            known[owner] = alive;
        }

        return alive;
    }

    private void SweepOwners()
    {
        if (!Directory.Exists(OwnersPath))
        {
            return;
        }

        foreach (var path in Directory.EnumerateFiles(OwnersPath, "*.lock"))
        {
            if (Path.GetFileNameWithoutExtension(path) != _id)
            {
                CanLock(path, delete: true);
            }
        }
    }

    /// <summary>True when no one holds the lock. With <paramref name="delete"/>, a free lock file is deleted while this
    /// process holds it, so no writer can be handed a lock on a file that is about to vanish.</summary>
    private static bool CanLock(string path, bool delete)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1);
            if (delete)
            {
                File.Delete(path);
            }

            return true;
        }
        catch (FileNotFoundException)
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool TryDelete(string file)
    {
        try
        {
            File.Delete(file);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string LockPath(string id) => Path.Combine(OwnersPath, id + ".lock");
}
