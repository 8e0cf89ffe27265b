using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Core.Eviction;
using Tessera.Core.Index;

namespace Tessera.Server;

/// <summary>Writes batched access times every few seconds and runs the evictor every budget interval.</summary>
internal sealed partial class EvictionService(Evictor evictor, AccessTracker access, IEvictionIndex index, BudgetOptions budget, ILogger<EvictionService> logger)
    : BackgroundService
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = budget.Interval;
        using var timer = new PeriodicTimer(interval < FlushEvery ? interval : FlushEvery);
        var lastRun = TimeProvider.System.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var due = TimeProvider.System.GetElapsedTime(lastRun) >= interval;
                await RunAsync(due, stoppingToken).ConfigureAwait(false);
                if (due)
                {
                    lastRun = TimeProvider.System.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the final flush below still runs.
        }

        await RunAsync(evict: false, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task RunAsync(bool evict, CancellationToken cancellationToken)
    {
        // A failed round is logged and retried next tick; letting it escape would stop the host.
        try
        {
            if (!evict)
            {
                await access.FlushAsync(index, cancellationToken).ConfigureAwait(false);
                return;
            }

            var result = await evictor.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            if (result.Count > 0)
            {
                Evicted(logger, result.Count, result.Bytes);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Tessera.Core.Index.IndexException)
        {
            Failed(logger, e.Message);
        }
    }

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Evicted {Count} renditions ({Bytes} bytes) to stay within the cache budget")]
    private static partial void Evicted(ILogger logger, int count, long bytes);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Eviction or access flush failed; retrying later: {Error}")]
    private static partial void Failed(ILogger logger, string error);
}
