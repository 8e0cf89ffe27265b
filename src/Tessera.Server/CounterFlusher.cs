using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Core.Index;
using Tessera.Core.Stats;

namespace Tessera.Server;

/// <summary>Writes request counters to the index every few seconds and at shutdown, so `tessera status` sees them
/// without a database write per request; refreshes the metrics' gauges on the way.</summary>
internal sealed partial class CounterFlusher(RequestCounters counters, IStatsIndex index, StatsReader stats, ILogger<CounterFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the final flush below still runs.
        }

        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        // A failed flush keeps its counts for the next one; letting it escape would stop the host.
        try
        {
            await counters.FlushAsync(index, cancellationToken).ConfigureAwait(false);
            await stats.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IndexException e)
        {
            Failed(logger, e.Message);
        }
    }

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Counter flush failed; retrying later: {Error}")]
    private static partial void Failed(ILogger logger, string error);
}
