using System.CommandLine;
using System.Globalization;
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

/// <summary>tessera clear --data DIR [--preset P] [--library NAME[=PATH]]: removes renditions; they regenerate on demand.</summary>
internal static class ClearCommand
{
    public static Command Create()
    {
        var flags = new SettingFlags();
        var preset = new Option<string?>("--preset") { Description = "Only this preset's renditions." };
        var library = new Option<string?>("--library") { Description = "Only renditions of files in this library: a configured library's NAME, or NAME=PATH." };
        var command = new Command("clear", "Remove cached renditions (all, one preset, or one library's).") { preset, library };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var terminal = Terminal.Of(parse);
            var lib = parse.GetValue(library);
            var eq = lib?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            var name = eq > 0 ? lib![..eq] : lib;
            var extra = eq > 0 ? new Dictionary<string, string?> { [$"Libraries:{name}"] = lib![(eq + 1)..] } : null;
            using var host = await CommonOptions.OpenAsync(flags, parse, ct, extra);
            var p = parse.GetValue(preset);
            if (p is not null && !host.Get<PresetCatalog>().TryGet(p, out _))
            {
                terminal.Error.WriteLine($"unknown preset '{p}'");
                return 2;
            }

            if (name is not null && !host.Get<IReadOnlyDictionary<string, FolderLibrary>>().ContainsKey(name))
            {
                terminal.Error.WriteLine($"unknown library '{name}': give NAME=PATH or configure it under Libraries");
                return 2;
            }

            var result = await host.Get<CacheAdmin>().ClearAsync(p, name, ct);
            terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cleared {result.Renditions} renditions, {StatusCommand.Bytes(result.Bytes)}"));
            return 0;
        });
        return command;
    }
}
