using System.CommandLine;
using System.Diagnostics;
using Tessera.Cli.Settings;
using Tessera.Core.Index;
using Tessera.Core.Journal;

namespace Tessera.Cli.Commands;

/// <summary>tessera backup --data DIR --to FILE: an online copy of the index (FILE) and of the journal (FILE.journal),
/// taken while a server runs. The journal is copied after the index, so it holds at least every change the copy holds;
/// a restore replays it over the copy.</summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var flags = new SettingFlags();
        var to = new Option<string>("--to") { Description = "Where to write the backup: the index as FILE, the journal as FILE.journal.", Required = true };
        var command = new Command("backup", "Copy the index and the journal while the server runs.") { to };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var terminal = Terminal.Of(parse);
            var target = Path.GetFullPath(parse.GetValue(to)!);
            if (Path.GetDirectoryName(target) is { } folder && !Directory.Exists(folder))
            {
                throw new IOException($"the folder of --to does not exist: {folder}");
            }

            using var host = await CommonOptions.OpenReadOnlyAsync(flags, parse, ct);
            var clock = Stopwatch.StartNew();
            await host.Get<IIndexBackup>().BackupAsync(target, ct);
            var journal = host.Get<AppJournal>();
            var journalBytes = await CopyJournalAsync(journal.FilePath, target + ".journal", ct);
            terminal.Out.WriteLine($"backed up the index ({new FileInfo(target).Length} bytes) to {target} and the journal ({journalBytes} bytes) " +
                                   $"to {target}.journal in {clock.Elapsed.TotalSeconds:0.0} s");
            return 0;
        });
        return command;
    }

    /// <summary>Copies the journal as it stands (appends are whole lines; a torn last line is skipped on replay).</summary>
    private static async Task<long> CopyJournalAsync(string journal, string target, CancellationToken cancellationToken)
    {
        var temp = target + ".tmp-" + Environment.ProcessId;
        await using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            if (File.Exists(journal))
            {
                await using var input = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                await input.CopyToAsync(output, cancellationToken);
            }

            output.Flush(flushToDisk: true);
        }

        File.Move(temp, target, overwrite: true);
        return new FileInfo(target).Length;
    }
}
