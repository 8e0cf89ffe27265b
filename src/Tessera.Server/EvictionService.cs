using Microsoft.Extensions.Logging;
using Tessera.Core.Eviction;
using Tessera.Server.Background;

namespace Tessera.Server;

/// <summary>Runs the evictor every budget interval (Cache:EvictionInterval).</summary>
internal sealed partial class EvictionService(Evictor evictor, BudgetOptions budget, BackgroundLoops loops, ILogger<EvictionService> logger)
    : BackgroundLoop("eviction", budget.Interval, loops, logger)
{
    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var result = await evictor.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        if (result.Count > 0)
        {
            Evicted(logger, result.Count, result.Bytes);
        }
    }

    // Eviction is not worth delaying shutdown for.
    protected override Task RunFinalAsync() => Task.CompletedTask;

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Evicted {Count} renditions ({Bytes} bytes) to stay within the cache budget")]
    private static partial void Evicted(ILogger logger, int count, long bytes);
}
