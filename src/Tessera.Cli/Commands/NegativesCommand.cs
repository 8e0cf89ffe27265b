using System.CommandLine;
using Tessera.Cli.Settings;
using System.Globalization;
using System.Text.Json;
using Tessera.Core;
using Tessera.Core.Cache;
using Tessera.Core.Pipeline;

using Tessera.Core.Index;
using Tessera.Core.Presets;
using Tessera.Core.Redaction;
using Tessera.Core.Sources;
using Tessera.Core.Stats;
using Tessera.Core.Storage;
using Tessera.Core.Health;

namespace Tessera.Cli.Commands;

/// <summary>tessera negatives --data DIR [--reason R] [--limit N] [--json], and
/// tessera negatives clear --data DIR [--reason R] [--item PATH]. A server running on the same folder keeps
/// its in-memory entries until restart; clear through DELETE /api/negatives there.</summary>
internal static class NegativesCommand
{
    private static string Reasons => FailureReasons.Listing;

    public static Command Create()
    {
        var flags = new SettingFlags();
        var reason = Reason();
        var limit = new Option<int>("--limit") { Description = "Most entries to print (default 1000).", DefaultValueFactory = _ => 1000 };
        var json = new Option<bool>("--json") { Description = "Print JSON (the same shape as GET /api/negatives)." };
        var command = new Command("negatives", "List items that could not be thumbnailed, and when they are tried again.")
        {
            reason, limit, json, Clear(),
        };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var terminal = Terminal.Of(parse);
            if (!TryReason(terminal, parse.GetValue(reason), out var r))
            {
                return 2;
            }

            using var host = await CommonOptions.OpenReadOnlyAsync(flags, parse, ct);
            var entries = (await host.Get<INegativeIndex>().ListNegativesAsync(r, 0, parse.GetValue(limit), ct)).Select(e => NegativeView.From(e, host.Get<LibraryPaths>())).ToList();
            if (parse.GetValue(json))
            {
                terminal.Out.WriteLine(JsonSerializer.Serialize(entries, CliJson.Default.ListNegativeView));
                return 0;
            }

            foreach (var e in entries)
            {
                terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{e.Reason,-13} attempts {e.Attempts,-3} retry {e.RetryAt:yyyy-MM-dd HH:mm:ss}Z  {e.Item}  ({e.Detail})"));
            }

            terminal.Out.WriteLine($"{entries.Count} negative entries");
            return 0;
        });
        return command;
    }

    private static Command Clear()
    {
        var flags = new SettingFlags();
        var reason = Reason();
        var item = new Option<string>("--item") { Description = "Clear only this source file: LIBRARY/path as listed, or its path." };
        var command = new Command("clear", "Clear negative entries (all, of one reason, or one item), so they are tried on their next request.")
        {
            reason, item,
        };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var terminal = Terminal.Of(parse);
            if (!TryReason(terminal, parse.GetValue(reason), out var r))
            {
                return 2;
            }

            using var host = await CommonOptions.OpenAsync(flags, parse, ct);
            // LIBRARY/relative/path as listed, or a path on this machine.
            var path = parse.GetValue(item) is { Length: > 0 } p ? host.Get<LibraryPaths>().Unshow(p) is var shown && shown != p ? shown : Path.GetFullPath(p) : null;
            var cleared = await host.Get<NegativeCache>().ClearAsync(r, path, ct);
            terminal.Out.WriteLine($"cleared {cleared}");
            return 0;
        });
        return command;
    }

    private static Option<string> Reason() => new("--reason") { Description = $"Only entries of this reason: {Reasons}." };

    private static bool TryReason(Terminal terminal, string? text, out FailureReason? reason)
    {
        reason = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (FailureReasons.TryParse(text, out var r))
        {
            reason = r;
            return true;
        }

        terminal.Error.WriteLine($"unknown reason '{text}'; use {Reasons}");
        return false;
    }
}
