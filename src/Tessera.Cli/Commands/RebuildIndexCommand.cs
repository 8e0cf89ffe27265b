using System.CommandLine;
using Tessera.Cli.Settings;
using Tessera.Core;

namespace Tessera.Cli.Commands;

/// <summary>tessera rebuild-index --data DIR: rewrites the rendition rows from the files on disk.</summary>
internal static class RebuildIndexCommand
{
    public static Command Create()
    {
        var flags = new SettingFlags();
        var command = new Command("rebuild-index", "Rebuild the index's rendition rows from the rendition files.") { };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var cache = CommonOptions.Open(flags, parse);
            var rows = await cache.RebuildIndexAsync(ct);
            Console.Out.WriteLine($"rebuilt {rows} rendition rows from {cache.Folder.RenditionsPath}");
            return 0;
        });
        return command;
    }
}
