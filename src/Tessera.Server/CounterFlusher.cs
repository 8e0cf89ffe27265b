using Microsoft.Extensions.Logging;
using Tessera.Core;
using Tessera.Core.Index;
using Tessera.Core.Stats;
using Tessera.Server.Background;

namespace Tessera.Server;

/// <summary>Writes request counters to the index every flush interval and at shutdown, so `tessera status` sees them
/// without a database write per request; refreshes the metrics' gauges on the way. A failed flush keeps its counts
/// for the next one.</summary>
internal sealed class CounterFlusher(RequestCounters counters, IStatsIndex index, StatsReader stats, TesseraOptions options, BackgroundLoops loops,
    ILogger<CounterFlusher> logger) : BackgroundLoop("counter flush", options.FlushInterval, loops, logger)
{
    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await counters.FlushAsync(index, cancellationToken).ConfigureAwait(false);
        await stats.ReadAsync(cancellationToken).ConfigureAwait(false);
    }
}
