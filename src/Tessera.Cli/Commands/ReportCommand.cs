using System.CommandLine;
using Tessera.Cli.Settings;
using System.Globalization;
using Spectre.Console;
using Tessera.Core;
using Tessera.Core.Pipeline;

using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Presets;
using Tessera.Core.Redaction;
using Tessera.Core.Sources;
using Tessera.Core.Stats;
using Tessera.Core.Storage;
using Tessera.Core.Health;

namespace Tessera.Cli.Commands;

/// <summary>tessera report --data DIR: a readable summary — hit ratio, bytes by preset, negative entries,
/// the top missing items and the slowest sources.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var flags = new SettingFlags();
        var top = new Option<int>("--top") { Description = "How many missing items and slow sources to list.", DefaultValueFactory = _ => 10 };
        var command = new Command("report", "Summarise how the cache is doing and what needs attention.") { top };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var terminal = Terminal.Of(parse);
            using var host = await CommonOptions.OpenReadOnlyAsync(flags, parse, ct);
            var n = Math.Max(1, parse.GetValue(top));
            var stats = await host.Get<StatsReader>().ReadAsync(ct);
            var missing = await host.Get<INegativeIndex>().ListNegativesAsync(FailureReason.NotFound, 0, n, ct);
            var slow = await host.Get<IStatsIndex>().SlowestSourcesAsync(n, ct);

            terminal.Ansi.Write(new Rule($"Tessera report: {Markup.Escape(host.Get<DataFolder>().Root)}").LeftJustified());
            var ratio = stats.HitRatio is { } h ? h.ToString("P1", CultureInfo.InvariantCulture) : "no requests yet";
            terminal.Ansi.MarkupLine($"hit ratio [bold]{ratio}[/] ({stats.Hits:N0} hits, {stats.Misses:N0} misses, {stats.Placeholders:N0} placeholders)");
            terminal.Ansi.MarkupLine($"{stats.Renditions:N0} renditions, {StatusCommand.Bytes(stats.Bytes)}, for {stats.Items:N0} items");

            var presets = new Table().Title("bytes by preset").AddColumns("preset", "renditions", "bytes");
            foreach (var (name, usage) in stats.ByPreset.OrderByDescending(p => p.Value.Bytes))
            {
                presets.AddRow(Markup.Escape(name), usage.Renditions.ToString("N0", CultureInfo.InvariantCulture), StatusCommand.Bytes(usage.Bytes));
            }

            terminal.Ansi.Write(presets);

            var negatives = new Table().Title("negative entries").AddColumns("reason", "items");
            foreach (var (reason, count) in stats.NegativesByReason.OrderByDescending(r => r.Value))
            {
                negatives.AddRow(Markup.Escape(reason), count.ToString("N0", CultureInfo.InvariantCulture));
            }

            terminal.Ansi.Write(negatives);

            var paths = host.Get<LibraryPaths>();
            var missingTable = new Table().Title($"top missing items (first {n})").AddColumns("item", "attempts", "re-check at");
            foreach (var m in missing)
            {
                missingTable.AddRow(Markup.Escape(paths.Show(m.Item)), m.Attempts.ToString(CultureInfo.InvariantCulture), m.RetryAt.ToString("u", CultureInfo.InvariantCulture));
            }

            terminal.Ansi.Write(missingTable);

            var slowTable = new Table().Title($"slowest sources (first {n})").AddColumns("source", "preset", "generation");
            foreach (var s in slow)
            {
                slowTable.AddRow(Markup.Escape(paths.Show(s.Source)), Markup.Escape(s.Preset ?? "?"), s.GenerationMs.ToString("0.0", CultureInfo.InvariantCulture) + " ms");
            }

            terminal.Ansi.Write(slowTable);
            return 0;
        });
        return command;
    }
}
