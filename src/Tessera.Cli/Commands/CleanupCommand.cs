using System.CommandLine;
using Tessera.Cli.Settings;
using System.Globalization;
using Tessera.Core;
using Tessera.Core.Cache;
using Tessera.Core.Configuration;

using Tessera.Core.Index;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Core.Stats;
using Tessera.Core.Storage;
using Tessera.Core.Health;

namespace Tessera.Cli.Commands;

/// <summary>tessera cleanup --data DIR [--older-than 30d] [--max-size 1GB] [--dry-run]: collects renditions nothing
/// will ask for again. Safe while a server runs on the same folder.</summary>
internal static class CleanupCommand
{
    public static Command Create()
    {
        var flags = new SettingFlags();
        var olderThan = new Option<string?>("--older-than") { Description = "Also remove renditions not used for this long: 30d, 12h or 45m." };
        var maxSize = new Option<string?>("--max-size") { Description = "Also remove the least recently used until the rest fit, e.g. 1GB (binary units)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be removed; remove nothing." };
        var force = new Option<bool>("--force") { Description = "Collect deleted sources even when most of them vanished at once." };
        var command = new Command("cleanup", "Remove renditions of deleted files, orphaned rows and files, and optionally old or over-size ones.")
        {
            olderThan, maxSize, dryRun, force,
        };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var terminal = Terminal.Of(parse);
            CleanupOptions options;
            try
            {
                options = new CleanupOptions
                {
                    OlderThan = parse.GetValue(olderThan) is { } age ? Duration.Parse(age) : null,
                    MaxBytes = parse.GetValue(maxSize) is { } size ? ByteSize.Parse(size) : null,
                    DryRun = parse.GetValue(dryRun),
                    Force = parse.GetValue(force),
                };
            }
            catch (FormatException e)
            {
                terminal.Error.WriteLine(e.Message);
                return 2;
            }

            using var host = await CommonOptions.OpenAsync(flags, parse, ct);
            var r = await host.Get<Cleaner>().RunAsync(options, ct);
            if (options.DryRun)
            {
                terminal.Out.WriteLine("dry run: nothing was removed");
            }

            foreach (var library in r.SkippedLibraries)
            {
                terminal.Error.WriteLine($"skipped {library}");
            }

            if (r.SkippedMissingSources > 0)
            {
                terminal.Error.WriteLine($"skipped collecting deleted sources: {r.SkippedMissingSources} known sources are missing at once; " +
                    "is a library folder unmounted or renamed? Re-run with --force if they really are gone.");
            }

            Line(terminal, "deleted sources", r.DeletedSources, $", {r.Fingerprints} fingerprints");
            Line(terminal, "rows without files", r.RowsWithoutFiles);
            Line(terminal, "files without rows", r.FilesWithoutRows);
            Line(terminal, "older than", r.OlderThan);
            Line(terminal, "over size", r.OverSize);
            Line(terminal, "temp files", r.TempFiles, string.Empty, "files");
            terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"removed {r.Renditions} renditions ({r.RenditionBytes} bytes), {r.Fingerprints} fingerprints"));
            return 0;
        });
        return command;
    }

    private static void Line(Terminal terminal, string category, CleanupCount count, string extra = "", string noun = "renditions") =>
        terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{category}: {count.Count} {noun} ({count.Bytes} bytes){extra}"));
}
