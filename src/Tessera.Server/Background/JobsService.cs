using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Core.Jobs;

namespace Tessera.Server.Background;

/// <summary>Runs background jobs in the server (Jobs:Enabled): the engine, the timed triggers (checked every second
/// against the clock: warms, clean-ups and each catalog's smart sync), the catalogs' scan-complete subscriptions and the library watchers. Index failures show in readiness as the "jobs" loop; at shutdown
/// the engine gives its leases back, so another process (or the next start) goes on from the units' state.</summary>
internal sealed partial class JobsService(JobEngine engine, JobTriggers triggers, Tessera.Core.Catalog.CatalogTriggers catalogTriggers,
    Tessera.Core.Catalog.CatalogSubscriptions catalogSubscriptions, LibraryWatcher watcher,
    JobOptions options, BackgroundLoops loops, TimeProvider clock, ILogger<JobsService> logger) : BackgroundService
{
    private static readonly TimeSpan TriggerEvery = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        var state = loops.Register("jobs", TimeSpan.FromSeconds(5));
        if (options.WatchLibraries)
        {
            watcher.Start();
        }

        try
        {
            await Task.WhenAll(
                engine.RunAsync(stoppingToken, e => state.Failed(clock.GetUtcNow(), e.Message), () => state.Succeeded()),
                TriggerAsync(stoppingToken),
                catalogSubscriptions.RunAsync(stoppingToken)).ConfigureAwait(false); // each Stash catalog's scan-complete events
        }
        finally
        {
            watcher.Dispose();
        }
    }

    private async Task TriggerAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await triggers.TickAsync(stoppingToken).ConfigureAwait(false);
                await catalogTriggers.TickAsync(stoppingToken).ConfigureAwait(false); // each catalog's smart sync: at start, then every PollInterval
                await Task.Delay(TriggerEvery, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a trigger's failure must never stop the server; the schedule tries again
            catch (Exception e) when (!BackgroundLoop.IsFatal(e))
#pragma warning restore CA1031
            {
                LogTriggerFailed(logger, e.Message);
                await Task.Delay(TriggerEvery * 5, clock, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Job triggers failed: {Error}")]
    private static partial void LogTriggerFailed(ILogger logger, string error);
}
