using Microsoft.Data.Sqlite;
using Tessera.Core.Index;

namespace Tessera.Index.Sqlite;

/// <summary>Puts a backup made by <see cref="SqliteIndexBackup"/> in place of an index file. The current file (with its
/// WAL) is kept beside it as <c>tessera.db.before-restore-&lt;time&gt;</c>, never deleted.</summary>
public static class SqliteRestore
{
    /// <summary>The live processes (other than this one) that have the index at <paramref name="databasePath"/> open.</summary>
    public static IReadOnlyList<int> OpenedBy(string databasePath) =>
        [.. SqliteDamage.LiveOpeners(databasePath).Where(pid => pid != Environment.ProcessId)];

    /// <summary>Checks the backup (an SQLite file that passes quick_check), copies it beside the index, sets the current
    /// index aside and renames the copy into place. Returns where the old index went, or null when there was none.</summary>
    public static string? Place(string backupPath, string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(backupPath);
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        if (!File.Exists(backupPath))
        {
            throw new FileNotFoundException($"no backup at {backupPath}", backupPath);
        }

        var temp = databasePath + ".restore-" + Environment.ProcessId;
        File.Copy(backupPath, temp, overwrite: true);
        try
        {
            Check(temp, backupPath);
            using (var file = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite))
            {
                file.Flush(flushToDisk: true);
            }

            string? aside = null;
            SqliteConnection.ClearAllPools();
            if (File.Exists(databasePath))
            {
                aside = $"{databasePath}.before-restore-{DateTime.UtcNow:yyyyMMddHHmmssfff}";
                File.Move(databasePath, aside);
            }

            foreach (var suffix in new[] { "-wal", "-shm" })
            {
                if (File.Exists(databasePath + suffix))
                {
                    File.Move(databasePath + suffix, (aside ?? databasePath + ".before-restore") + suffix, overwrite: true);
                }
            }

            File.Move(temp, databasePath);
            return aside;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Leaves the mark that makes the next open treat the index as new (see <see cref="SqliteDatabase.Open"/>).</summary>
    public static void MarkRestored(string databasePath) => File.WriteAllText(databasePath + ".restored", string.Empty);

    /// <summary>True (and the mark removed) when a restore left its mark.</summary>
    internal static bool TakeRestoredMark(string databasePath)
    {
        var mark = databasePath + ".restored";
        if (!File.Exists(mark))
        {
            return false;
        }

        SqliteDamage.TryDelete(mark);
        return true;
    }

    private static void Check(string copy, string backupPath)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
            connection.Open();
            var found = SqliteDamage.QuickCheck(connection);
            if (found != "ok" || connection.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'items'") != 1)
            {
                throw new IndexException(IndexFailure.Corrupt, $"{backupPath} is not a usable Tessera index backup: {(found == "ok" ? "no items table" : found)}", null);
            }
        }
        catch (SqliteException e)
        {
            throw new IndexException(IndexFailure.Corrupt, $"{backupPath} is not a usable Tessera index backup: {e.Message}", e);
        }
    }
}
