using System.CommandLine;
using Tessera.Cli.Settings;
using Tessera.Core;

using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Core.Stats;
using Tessera.Core.Storage;
using Tessera.Core.Health;

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
            var terminal = Terminal.Of(parse);
            using var host = await CommonOptions.OpenAsync(flags, parse, ct);
            var rows = await host.Get<IIndexMaintenance>().RebuildRenditionsAsync(host.Get<IRenditionStore>().Enumerate(), ct);
            terminal.Out.WriteLine($"rebuilt {rows} rendition rows from {host.Get<DataFolder>().RenditionsPath}");
            return 0;
        });
        return command;
    }
}
