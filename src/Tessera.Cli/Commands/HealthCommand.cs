using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using Tessera.Core;
using Tessera.Index.Sqlite;
using Tessera.Core.Health;

namespace Tessera.Cli.Commands;

/// <summary>tessera health --data DIR [--json]: the readiness checks; exit 1 with the reason when unhealthy.</summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var minFree = new Option<long>("--min-free-mib")
        {
            Description = "Free disk below this many MiB is unhealthy (default 256).",
            DefaultValueFactory = _ => 256,
        };
        var command = new Command("health", "Check the index, data folder, free disk, libvips and ffmpeg.") { data, json, minFree };
        command.SetAction(async (parse, ct) =>
        {
            using var cache = TesseraCache.Open(CommonOptions.Build(parse.GetRequiredValue(data)), NullLoggerFactory.Instance, SqliteIndex.Open);
            var checker = new HealthChecker(cache) { MinFreeDiskBytes = parse.GetValue(minFree) * 1024 * 1024 };
            var report = await checker.CheckAsync(ct);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(report, StatusCommand.Json));
            }
            else
            {
                foreach (var c in report.Checks)
                {
                    AnsiConsole.MarkupLine($"{(c.Ok ? "[green]ok  [/]" : "[red]FAIL[/]")} {Markup.Escape(c.Name),-12} {Markup.Escape(c.Detail)}");
                }
            }

            if (!report.Healthy)
            {
                Console.Error.WriteLine($"unhealthy: {report.Reason}");
                return 1;
            }

            return 0;
        });
        return command;
    }
}
