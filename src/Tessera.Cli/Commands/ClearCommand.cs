using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core;
using Tessera.Index.Sqlite;

namespace Tessera.Cli.Commands;

/// <summary>tessera clear --data DIR [--preset P] [--library NAME=PATH]: removes renditions; they regenerate on demand.</summary>
internal static class ClearCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var preset = new Option<string?>("--preset") { Description = "Only this preset's renditions." };
        var library = new Option<string?>("--library") { Description = "Only renditions of files in this library, given as NAME=PATH." };
        var command = new Command("clear", "Remove cached renditions (all, one preset, or one library's).") { data, preset, library };
        command.SetAction(async (parse, ct) =>
        {
            var lib = parse.GetValue(library);
            var options = CommonOptions.Build(parse.GetRequiredValue(data), libraries: lib is null ? null : [lib]);
            using var cache = TesseraCache.Open(options, NullLoggerFactory.Instance, SqliteIndex.Open);
            var p = parse.GetValue(preset);
            if (p is not null && !cache.Presets.TryGet(p, out _))
            {
                Console.Error.WriteLine($"unknown preset '{p}'");
                return 2;
            }

            var result = await cache.Admin.ClearAsync(p, lib is null ? null : lib[..lib.IndexOf('=', StringComparison.Ordinal)], ct);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cleared {result.Renditions} renditions, {StatusCommand.Bytes(result.Bytes)}"));
            return 0;
        });
        return command;
    }
}
