using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Tessera.Core.Catalog;

namespace Tessera.Cli.Commands.Catalog;

/// <summary>tessera catalog sync NAME [--full | --incremental]: a catalog-sync job run by the job engine in this process
/// (like warm: beside a running server on the same data folder, and a killed sync resumes), a progress bar per type on a
/// terminal, plain lines otherwise, then one line per type. Exit 1 when a type failed (the upstream unreachable, say).</summary>
internal static class CatalogSyncCommand
{
    public static Command Create()
    {
        var flags = CatalogCommand.Flags();
        var name = CatalogCommand.NameArgument();
        var full = new Option<bool>("--full") { Description = "List every entity by id and sweep the deleted (default: smart, which skips unchanged types)." };
        var incremental = new Option<bool>("--incremental") { Description = "Only entities changed since each type's watermark; never deletes." };
        var server = new Option<string?>("--server")
        {
            Description = "Ask a running server at this URL to sync (its catalogs, its key) and follow the job, instead of syncing here.",
        };
        flags.Value(new Option<string?>("--api-key") { Description = "With --server: its admin key. Setting: Admin:ApiKey (also TESSERA_API_KEY)." }, "Admin:ApiKey");
        var command = new Command("sync", "Sync a catalog from its upstream into the data folder, as a job run here (or on a --server).") { name, full, incremental, server };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var terminal = Terminal.Of(parse);
            if (parse.GetValue(full) && parse.GetValue(incremental))
            {
                throw new ArgumentException("--full and --incremental exclude each other");
            }

            var mode = parse.GetValue(full) ? CatalogSyncMode.Full : parse.GetValue(incremental) ? CatalogSyncMode.Incremental : CatalogSyncMode.Smart;
            var catalog = parse.GetValue(name)!;
            if (parse.GetValue(server) is { } url)
            {
                if (parse.Tokens.Any(t => t.Value is "--catalog" or "--catalog-api-key"))
                {
                    throw new ArgumentException("--catalog and --catalog-api-key configure a sync run here; with --server the server's own catalogs are used");
                }

                var configuration = flags.Build(parse);
                return await CatalogRemoteSync.RunAsync(terminal, ServerConnection.BaseAddress(url), configuration["Admin:ApiKey"], catalog, mode, ct);
            }

            // A short lease, as warm has: a killed sync's types are taken back soon by the next run or the server.
            var (_, options) = CommonOptions.Read(flags, parse, new Dictionary<string, string?> { ["Jobs:LeaseTime"] = "10s" });
            CatalogCommand.Configured(options, catalog);
            using var host = await CommandHost.OpenAsync(options, ct);
            var started = Stopwatch.StartNew();
            var (job, types) = terminal.Interactive
                ? await WithBarsAsync(terminal, host, catalog, mode, ct)
                : await CatalogSyncRun.RunAsync(host, catalog, mode, Plain(terminal), ct);

            foreach (var t in types)
            {
                terminal.Out.WriteLine(Line(t));
            }

            var failed = types.Count(t => t.Failure is not null);
            terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"catalog {catalog}: {CatalogSyncModes.ToText(mode)} sync{(job.Status == Tessera.Core.Jobs.JobStatus.Completed ? "" : " " + job.Status.ToString().ToLowerInvariant())}: {types.Count - failed} types synced, {failed} failed in {started.Elapsed.TotalSeconds:0.0} s"));
            if (failed > 0 || job.Status != Tessera.Core.Jobs.JobStatus.Completed)
            {
                var first = types.FirstOrDefault(t => t.Failure is not null);
                await terminal.Error.WriteLineAsync(first is null
                    ? $"tessera: catalog '{catalog}': the sync {job.Status.ToString().ToLowerInvariant()}: {job.Error ?? "no reason given"}"
                    : $"tessera: catalog '{catalog}': {failed} of {types.Count} types failed; {first.Type}: {first.Failure}");
                return 1;
            }

            return 0;
        });
        return command;
    }

    private static string Line(CatalogSyncRun.TypeResult t) => t.Failure is { } failure
        ? $"{t.Type,-11} failed: {failure}"
        : string.Create(CultureInfo.InvariantCulture,
            $"{t.Type,-11} {(t.Mode is { } m ? CatalogSyncModes.ToText(m) : "–"),-12} listed {t.Listed,-7} live {t.Live,-7} {t.Text}");

    /// <summary>A line when a type finishes, and at most one every 2 s while it runs.</summary>
    private static Action<IReadOnlyList<CatalogTypeProgress>> Plain(Terminal terminal)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var printed = DateTime.UtcNow;
        return types =>
        {
            foreach (var p in types)
            {
                if (p.Done ? done.Add(p.Type) : !done.Contains(p.Type) && DateTime.UtcNow - printed >= TimeSpan.FromSeconds(2))
                {
                    printed = DateTime.UtcNow;
                    terminal.Out.WriteLine(Progress(p));
                }
            }
        };
    }

    private static async Task<(Tessera.Core.Jobs.JobRecord, IReadOnlyList<CatalogSyncRun.TypeResult>)> WithBarsAsync(Terminal terminal, CommandHost host,
        string catalog, CatalogSyncMode mode, CancellationToken ct)
    {
        (Tessera.Core.Jobs.JobRecord, IReadOnlyList<CatalogSyncRun.TypeResult>) result = default;
        await terminal.Ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var bars = CatalogTypes.All.ToDictionary(t => t, t => ctx.AddTask(Markup.Escape($"{t}: waiting"), autoStart: true, maxValue: 1), StringComparer.Ordinal);
                result = await CatalogSyncRun.RunAsync(host, catalog, mode, types =>
                {
                    foreach (var p in types)
                    {
                        var bar = bars[p.Type];
                        bar.MaxValue = Math.Max(1, p.Total);
                        bar.Value = p.Done ? bar.MaxValue : p.Stored;
                        bar.Description = Markup.Escape(Progress(p));
                    }
                }, ct);
                foreach (var failed in result.Item2.Where(t => t.Failure is not null))
                {
                    bars[failed.Type].Description = Markup.Escape($"{failed.Type}: failed");
                    bars[failed.Type].StopTask();
                }
            });
        return result;
    }

    private static string Progress(CatalogTypeProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"{p.Type}: {CatalogSyncModes.ToText(p.Mode)} {p.Stored}/{p.Total}{(p.Done ? " done" : "")}");
}
