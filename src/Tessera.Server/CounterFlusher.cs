using Microsoft.Extensions.Hosting;
using Tessera.Core;

namespace Tessera.Server;

/// <summary>Writes request counters to the index every few seconds and at shutdown, so `tessera status`
/// sees them without a database write per request.</summary>
internal sealed class CounterFlusher(TesseraCache cache) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await cache.FlushCountersAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the final flush below still runs.
        }

        await cache.FlushCountersAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
