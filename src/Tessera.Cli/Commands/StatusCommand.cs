using System.CommandLine;
using Tessera.Cli.Settings;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Tessera.Core;
using Tessera.Core.Stats;

using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Core.Storage;
using Tessera.Core.Health;

namespace Tessera.Cli.Commands;

/// <summary>tessera status --data DIR [--json]: the figures of /api/stats, read from the index.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var flags = new SettingFlags();
        var json = new Option<bool>("--json") { Description = "Print JSON (the same shape as GET /api/stats)." };
        var command = new Command("status", "Show what the cache holds and how it is doing.") { json };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var terminal = Terminal.Of(parse);
            using var host = await CommonOptions.OpenReadOnlyAsync(flags, parse, ct);
            var report = await host.Get<StatsReader>().ReadAsync(ct);
            if (parse.GetValue(json))
            {
                terminal.Out.WriteLine(JsonSerializer.Serialize(report, CliJson.Default.StatsReport));
            }
            else
            {
                Render(terminal, report, host.Get<DataFolder>().Root);
            }

            return 0;
        });
        return command;
    }

    private static void Render(Terminal terminal, StatsReport r, string folder)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        table.Title = new TableTitle($"Tessera cache at {Markup.Escape(folder)}");
        table.AddRow("items", N(r.Items));
        table.AddRow("renditions", N(r.Renditions));
        table.AddRow("bytes", Bytes(r.Bytes));
        table.AddRow("hits", N(r.Hits));
        table.AddRow("misses", N(r.Misses));
        table.AddRow("hit ratio", r.HitRatio is { } h ? h.ToString("P1", CultureInfo.InvariantCulture) : "–");
        table.AddRow("placeholders", N(r.Placeholders));
        table.AddRow("not modified (304)", N(r.NotModified));
        table.AddRow("rejected (429)", N(r.Rejected));
        table.AddRow("warmed", N(r.Warmed));
        table.AddRow("evictions", N(r.Evictions));
        table.AddRow("budget", $"{Bytes(r.BudgetBytes)} ({(r.BudgetUsedRatio is { } u ? u.ToString("P1", CultureInfo.InvariantCulture) : "–")} used)");
        table.AddRow("generation p50 / p95 / p99", $"{Ms(r.Generation.P50Ms)} / {Ms(r.Generation.P95Ms)} / {Ms(r.Generation.P99Ms)}");
        foreach (var (preset, usage) in r.ByPreset.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            table.AddRow($"  preset {Markup.Escape(preset)}", $"{N(usage.Renditions)} renditions, {Bytes(usage.Bytes)}");
        }

        foreach (var (reason, count) in r.NegativesByReason.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            table.AddRow($"  negative {Markup.Escape(reason)}", N(count));
        }

        terminal.Ansi.Write(table);
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double? v) => v is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "–";

    internal static string Bytes(long v) => v switch
    {
        < 1024 => $"{v} B",
        < 1024 * 1024 => (v / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (v / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (v / 1073741824.0).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };
}
