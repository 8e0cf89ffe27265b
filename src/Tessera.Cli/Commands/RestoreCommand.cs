using System.CommandLine;
using Tessera.Cli.Settings;
using Tessera.Core.Index;
using Tessera.Core.Journal;
using Tessera.Core.Storage;
using Tessera.Index.Sqlite;

namespace Tessera.Cli.Commands;

/// <summary>tessera restore --data DIR --from FILE [--force]: puts a backup's index (and its journal) in place. Refused
/// while a live process has the index open, unless --force. The restored index is opened at once as a new one: the
/// journal is replayed over it and its rendition rows are rebuilt from the files, which may be newer than the backup.</summary>
internal static class RestoreCommand
{
    public static Command Create()
    {
        var flags = new SettingFlags();
        var from = new Option<string>("--from") { Description = "The backup: FILE (the index) and, beside it, FILE.journal.", Required = true };
        var force = new Option<bool>("--force") { Description = "Restore even while a process has the index open; restart it at once afterwards." };
        var command = new Command("restore", "Put a backup made by `tessera backup` in place.") { from, force };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var terminal = Terminal.Of(parse);
            var (_, options) = CommonOptions.Read(flags, parse);
            var backup = Path.GetFullPath(parse.GetValue(from)!);
            if (!File.Exists(backup))
            {
                throw new IOException($"no backup at {backup}");
            }

            var folder = DataFolder.Open(options.DataPath);
            var users = SqliteRestore.OpenedBy(folder.DatabasePath);
            if (users.Count > 0 && !parse.GetValue(force))
            {
                throw new InvalidOperationException(
                    $"the index in {folder.Root} is open by process {string.Join(", ", users)} (a running server?): stop it first, or pass --force");
            }

            var aside = SqliteRestore.Place(backup, folder.DatabasePath);
            var journal = new AppJournal(folder.Root);
            if (File.Exists(backup + ".journal"))
            {
                PlaceJournal(backup + ".journal", journal);
            }

            SqliteRestore.MarkRestored(folder.DatabasePath);
            using (var host = await CommandHost.OpenAsync(options, ct))
            {
                // Opening replays the journal and FolderStartup rebuilt the rendition rows; say what the index holds now.
                var rows = (await host.Get<IIndexMaintenance>().RenditionKeysAsync(ct)).Count;
                terminal.Out.WriteLine($"restored {backup} into {folder.DatabasePath} ({rows} rendition rows from the files)" +
                                       (aside is null ? string.Empty : $"; the previous index is kept as {aside}"));
            }

            if (users.Count > 0)
            {
                terminal.Error.WriteLine($"tessera: process {string.Join(", ", users)} still has the old index open: restart it now");
            }

            return 0;
        });
        return command;
    }

    /// <summary>The backup's journal replaces the current one, which is kept beside it.</summary>
    private static void PlaceJournal(string source, AppJournal journal)
    {
        Directory.CreateDirectory(journal.FolderPath);
        var temp = journal.FilePath + ".restore-" + Environment.ProcessId;
        File.Copy(source, temp, overwrite: true);
        using (var file = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Flush(flushToDisk: true);
        }

        if (File.Exists(journal.FilePath))
        {
            File.Move(journal.FilePath, $"{journal.FilePath}.before-restore-{DateTime.UtcNow:yyyyMMddHHmmssfff}");
        }

        File.Move(temp, journal.FilePath);
        File.Delete(journal.FilePath + ".compacted"); // that size was the old journal's
    }
}
