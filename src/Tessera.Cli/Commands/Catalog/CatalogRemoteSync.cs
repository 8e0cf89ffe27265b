using Tessera.Core.Catalog;

namespace Tessera.Cli.Commands.Catalog;

/// <summary>catalog sync NAME --server URL: the sync asked of a running server (POST /api/catalog/{name}/sync with the
/// admin key) and followed on its event stream as jobs watch follows a job, then each type's result from
/// GET /api/catalog/{name}. The server's own catalogs and key are used. Exit 1 when a type failed or the server
/// answered an error; 2 when it cannot be reached.</summary>
internal static class CatalogRemoteSync
{
    public static async Task<int> RunAsync(Terminal terminal, Uri server, string? apiKey, string catalog, CatalogSyncMode mode, CancellationToken ct)
    {
        using var client = new JobsClient(server, apiKey);
        try
        {
            var job = await client.SyncCatalogAsync(catalog, CatalogSyncModes.ToText(mode), ct);
            var events = client.WatchAsync(job.Id, ct);
            var last = terminal.Interactive ? await JobsWatch.BarAsync(terminal, events) : await JobsWatch.PlainAsync(terminal, events);
            if (last is not { IsFinished: true })
            {
                await terminal.Error.WriteLineAsync("tessera: the server ended the event stream before the sync finished");
                return 1;
            }

            var status = await client.CatalogStatusAsync(catalog, ct);
            foreach (var t in status.Types)
            {
                terminal.Out.WriteLine($"{t.Type,-11} live {t.Count,-7} {t.LastResult ?? "never synced"}");
            }

            terminal.Out.WriteLine($"catalog {catalog}: job {last.Id} {last.Status}: {JobsCommand.Progress(last)}");
            if (last.Status != "completed" || last.Failed > 0)
            {
                var failed = status.Types.FirstOrDefault(t => t.LastResult?.StartsWith("failed", StringComparison.Ordinal) == true);
                await terminal.Error.WriteLineAsync(failed is null
                    ? $"tessera: catalog '{catalog}': the sync {last.Status}{(last.Error is { } e ? $": {e}" : "")}"
                    : $"tessera: catalog '{catalog}': {last.Failed} of {last.Total} types failed; {failed.Type}: {failed.LastResult}");
                return 1;
            }

            return 0;
        }
        catch (JobsApiException e)
        {
            await terminal.Error.WriteLineAsync($"tessera: {e.Message}");
            return 1;
        }
    }
}
