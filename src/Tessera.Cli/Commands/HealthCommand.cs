using System.CommandLine;
using Tessera.Cli.Settings;
using System.Text.Json;
using Spectre.Console;
using Tessera.Core;
using Tessera.Core.Health;

using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Core.Stats;
using Tessera.Core.Storage;

namespace Tessera.Cli.Commands;

/// <summary>tessera health --data DIR [--json]: the readiness checks; exit 1 with the reason when unhealthy.</summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var flags = new SettingFlags();
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var minFree = new Option<long?>("--min-free-mib")
        {
            Description = "Free disk below this many MiB is unhealthy (default: Cache:MinFreeDisk, the threshold eviction uses).",
        };
        var command = new Command("health", "Check the index, data folder, free disk, libvips and ffmpeg.") { json, minFree };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var terminal = Terminal.Of(parse);
            using var host = await CommonOptions.OpenReadOnlyAsync(flags, parse, ct);
            var checker = parse.GetValue(minFree) is { } mib
                ? new HealthChecker(host.Get<IStatsIndex>(), host.Get<DataFolder>(), host.Get<GenerationLimiter>(), host.Get<TesseraOptions>()) { MinFreeDiskBytes = mib * 1024 * 1024 }
                : host.Get<HealthChecker>();
            var report = await checker.CheckAsync(ct);
            if (parse.GetValue(json))
            {
                terminal.Out.WriteLine(JsonSerializer.Serialize(report, CliJson.Default.HealthReport));
            }
            else
            {
                foreach (var c in report.Checks)
                {
                    terminal.Ansi.MarkupLine($"{(c.Ok ? "[green]ok  [/]" : "[red]FAIL[/]")} {Markup.Escape(c.Name),-12} {Markup.Escape(c.Detail)}");
                }
            }

            if (!report.Healthy)
            {
                terminal.Error.WriteLine($"unhealthy: {report.Reason}");
                return 1;
            }

            return 0;
        });
        return command;
    }
}
