using System.Data;
using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite;

/// <summary>An index opened read-only because the disk had no space for it to be opened read-write: why, whether the
/// last process crashed (its check waits for the read-write open), and the connections in flight that the switch back
/// to read-write lets finish first.</summary>
internal sealed class DegradedMode(string reason, bool crashed)
{
    /// <summary>Below this much free space, an I/O or open error of SQLite's is taken for the full disk it most likely is.</summary>
    public const long LowSpaceBytes = 16L * 1024 * 1024;

    private static readonly TimeSpan DrainFor = TimeSpan.FromSeconds(30);
    private readonly object _gate = new();
    private int _readers;
    private bool _switching;

    public string Reason { get; } = reason;

    public bool Crashed { get; } = crashed;

    /// <summary>Why <paramref name="e"/> means there is no space for the index at <paramref name="path"/>, or null when it means something else.</summary>
    public static string? NoSpace(string path, SqliteException e)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        long free;
        try
        {
            free = new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }

        // SQLITE_FULL, or SQLITE_IOERR / SQLITE_CANTOPEN (the WAL or its shared memory could not be made) on a disk with
        // no room that is still writable: a read-only mount or folder is an operator error, not a full disk.
        return e.SqliteErrorCode == 13 || (e.SqliteErrorCode is 10 or 14 && free < LowSpaceBytes && Writable(folder))
            ? $"the data disk is full ({free / 1024} KiB free at {folder}; SQLite: {e.Message}); the index is read-only until space returns"
            : null;
    }

    /// <summary>Whether a file can be made in <paramref name="folder"/>: an empty one needs no space, so only a read-only
    /// mount or missing permission says no (or a disk without even an inode or block to spare, which is full).</summary>
    private static bool Writable(string folder)
    {
        var probe = System.IO.Path.Combine(folder, $".space-probe-{Environment.ProcessId}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }

            return true;
        }
        catch (IOException x) when (x.HResult == 28 || x.Message.Contains("No space", StringComparison.OrdinalIgnoreCase))
        {
            return true; // ENOSPC
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Counts a connection about to open (waiting while a switch runs); the returned release is idempotent.</summary>
    public Action EnterRead()
    {
        lock (_gate)
        {
            while (_switching)
            {
                Monitor.Wait(_gate);
            }

            _readers++;
        }

        var released = 0;
        return () =>
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                lock (_gate)
                {
                    _readers--;
                }
            }
        };
    }

    /// <summary>Releases the count when <paramref name="connection"/> closes.</summary>
    public static void ReleaseOnClose(SqliteConnection connection, Action release) =>
        connection.StateChange += (_, e) =>
        {
            if (e.CurrentState == ConnectionState.Closed)
            {
                release();
            }
        };

    /// <summary>Stops new connections, waits (up to 30 s) for those open, then runs <paramref name="reopen"/>; false while
    /// there is still no space. The caller ends the switch with <see cref="EndSwitch"/> whatever happened.</summary>
    public async Task<bool> SwitchAsync(string path, Action reopen)
    {
        lock (_gate)
        {
            _switching = true;
        }

        var deadline = DateTime.UtcNow + DrainFor;
        while (Volatile.Read(ref _readers) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        var hadWal = File.Exists(path + "-wal");
        var hadShm = File.Exists(path + "-shm");
        try
        {
            reopen();
            return true;
        }
        catch (SqliteException)
        {
            // A failed attempt must not leave an empty WAL behind: read-only readers would then join a WAL they cannot use.
            SqliteConnection.ClearAllPools();
            if (!hadWal)
            {
                RemoveEmptyWal(path, removeShm: !hadShm);
            }

            return false;
        }
    }

    /// <summary>A failed read-write open on a full disk leaves an empty <c>-wal</c> (and a stub <c>-shm</c>); a read-only
    /// reader would join that WAL and fail. An empty WAL holds nothing, so when no other process has the index open both go.</summary>
    public static void RemoveEmptyWal(string path, bool removeShm = true)
    {
        if (new FileInfo(path + "-wal") is not { Exists: true, Length: 0 } || SqliteDamage.LiveOpeners(path).Any(pid => pid != Environment.ProcessId))
        {
            return;
        }

        SqliteDamage.TryDelete(path + "-wal");
        if (removeShm)
        {
            SqliteDamage.TryDelete(path + "-shm");
        }
    }

    public void EndSwitch()
    {
        lock (_gate)
        {
            _switching = false;
            Monitor.PulseAll(_gate);
        }
    }
}
