using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Tessera.Index.Sqlite;

/// <summary>Finding and setting aside a damaged index file. Damage shows as SQLITE_CORRUPT or SQLITE_NOTADB: at open
/// (a damaged header), on the page an operation reads, or in a quick_check. A quick_check reads every page, so it runs
/// at open only when an earlier process did not close the index cleanly: each process keeps a marker file
/// <c>tessera.db.open-&lt;pid&gt;</c> while it has the index open, and a marker whose process is gone means a crash.</summary>
internal static class SqliteDamage
{
    public static bool IsDamage(SqliteException e) => e.SqliteErrorCode is 11 or 26; // SQLITE_CORRUPT, SQLITE_NOTADB

    /// <summary>Leaves this process's marker; returns true when a marker of a process that is gone was found (and removes it).</summary>
    public static bool MarkOpen(string path, out string marker)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var prefix = Path.GetFileName(path) + ".open-";
        var crashed = false;
        foreach (var other in Directory.EnumerateFiles(folder, prefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(other)[prefix.Length..], out var pid) && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                crashed = true;
                TryDelete(other);
            }
        }

        marker = Path.Combine(folder, prefix + Environment.ProcessId);
        try
        {
            File.WriteAllText(marker, string.Empty);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only folder: no marker, so no check next time; the index will say what it can.
        }

        return crashed;
    }

    /// <summary>The processes whose marker says they have the index open and that are still alive.</summary>
    public static IEnumerable<int> LiveOpeners(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var prefix = Path.GetFileName(path) + ".open-";
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(folder, prefix + "*")
            .Select(f => int.TryParse(Path.GetFileName(f)[prefix.Length..], out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Directory.Exists($"/proc/{pid}"))
            .ToList();
    }

    /// <summary>"ok", or what SQLite's quick_check found.</summary>
    public static string QuickCheck(SqliteConnection connection)
    {
        try
        {
            using var cmd = connection.Command("PRAGMA quick_check(5)");
            using var reader = cmd.ExecuteReader();
            var lines = new List<string>();
            while (reader.Read())
            {
                lines.Add(reader.GetString(0));
            }

            return string.Join("; ", lines);
        }
        catch (SqliteException e) when (IsDamage(e))
        {
            return e.Message;
        }
    }

    /// <summary>Moves a damaged file (and its WAL) aside as <c>tessera.db.corrupt-&lt;time&gt;</c>; the caller makes a new one.</summary>
    public static void MoveAside(string path, string why, ILogger logger)
    {
        var aside = $"{path}.corrupt-{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        SqliteLog.IndexCorrupt(logger, path, why, aside);
        SqliteConnection.ClearAllPools();
        if (File.Exists(path))
        {
            File.Move(path, aside);
        }

        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            if (File.Exists(path + suffix))
            {
                File.Move(path + suffix, aside + suffix);
            }
        }
    }

    public static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stale marker only costs one quick_check.
        }
    }
}
