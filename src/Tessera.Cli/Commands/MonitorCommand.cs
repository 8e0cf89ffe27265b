using System.CommandLine;
using Tessera.Cli.Settings;
using System.Globalization;
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

/// <summary>tessera monitor --data DIR [--interval 5s]: the status figures, refreshed live. It reads the index,
/// which a running server updates every few seconds, so it watches a server without talking to it.</summary>
internal static class MonitorCommand
{
    public static Command Create()
    {
        var flags = new SettingFlags();
        var interval = new Option<string>("--interval") { Description = "Refresh interval: 500ms, 5s, 1m.", DefaultValueFactory = _ => "5s" };
        var count = new Option<int>("--count") { Description = "Stop after this many refreshes (default: until Ctrl-C)." };
        var command = new Command("monitor", "Watch the cache's figures live.") { interval, count };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var terminal = Terminal.Of(parse);
            var every = ParseInterval(parse.GetRequiredValue(interval));
            var limit = parse.GetValue(count);
            using var host = await CommonOptions.OpenReadOnlyAsync(flags, parse, ct);
            var interactive = terminal.Interactive;
            StatsReport? previous = null;
            try
            {
                if (interactive)
                {
                    await terminal.Ansi.Live(new Markup("starting…")).StartAsync(async live =>
                    {
                        for (var i = 0; limit <= 0 || i < limit; i++)
                        {
                            var now = await host.Get<StatsReader>().ReadAsync(ct);
                            live.UpdateTarget(Render(now, previous, every));
                            live.Refresh();
                            previous = now;
                            await Task.Delay(every, ct);
                        }
                    });
                }
                else
                {
                    for (var i = 0; limit <= 0 || i < limit; i++)
                    {
                        var now = await host.Get<StatsReader>().ReadAsync(ct);
                        terminal.Out.WriteLine(Line(now, previous, every));
                        previous = now;
                        if (limit <= 0 || i + 1 < limit)
                        {
                            await Task.Delay(every, ct);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C: a normal way to stop watching.
            }

            return 0;
        });
        return command;
    }

    internal static TimeSpan ParseInterval(string text)
    {
        var t = text.Trim();
        (string Suffix, double Scale)[] units = [("ms", 0.001), ("s", 1), ("m", 60)];
        foreach (var (suffix, scale) in units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(t[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0)
            {
                return TimeSpan.FromSeconds(v * scale);
            }
        }

        throw new FormatException($"--interval '{text}': use a number with ms, s or m, e.g. 5s");
    }

    private static string Line(StatsReport r, StatsReport? before, TimeSpan every) => string.Create(CultureInfo.InvariantCulture,
        $"{DateTime.UtcNow:HH:mm:ss} renditions {r.Renditions} bytes {r.Bytes} hits {r.Hits} misses {r.Misses} hit-ratio {(r.HitRatio is { } h ? h.ToString("0.000", CultureInfo.InvariantCulture) : "-")} " +
        $"req/s {Rate(r, before, every):0.0} placeholders {r.Placeholders} rejected {r.Rejected} p95 {(r.Generation.P95Ms is { } p ? p.ToString("0.0", CultureInfo.InvariantCulture) : "-")}ms");

    private static double Rate(StatsReport now, StatsReport? before, TimeSpan every) =>
        before is null ? 0 : (now.Hits + now.Misses + now.Placeholders + now.NotModified - (before.Hits + before.Misses + before.Placeholders + before.NotModified)) / every.TotalSeconds;

    private static Table Render(StatsReport r, StatsReport? before, TimeSpan every)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        table.Title = new TableTitle($"Tessera monitor · every {every.TotalSeconds:0.#} s · Ctrl-C to stop");
        table.AddRow("requests/s", Rate(r, before, every).ToString("0.0", CultureInfo.InvariantCulture));
        table.AddRow("hit ratio", r.HitRatio is { } h ? h.ToString("P1", CultureInfo.InvariantCulture) : "–");
        table.AddRow("hits / misses", $"{r.Hits:N0} / {r.Misses:N0}");
        table.AddRow("placeholders / rejected", $"{r.Placeholders:N0} / {r.Rejected:N0}");
        table.AddRow("renditions", r.Renditions.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("bytes", StatusCommand.Bytes(r.Bytes));
        table.AddRow("generation p50 / p95 / p99", $"{r.Generation.P50Ms:0.0} / {r.Generation.P95Ms:0.0} / {r.Generation.P99Ms:0.0} ms");
        foreach (var (reason, n) in r.NegativesByReason)
        {
            table.AddRow($"negative: {Markup.Escape(reason)}", n.ToString("N0", CultureInfo.InvariantCulture));
        }

        return table;
    }
}
