using Microsoft.Extensions.Logging;
using Tessera.Core.Stats;
using Tessera.Server.Background;

namespace Tessera.Server.Dashboard;

/// <summary>Takes a <see cref="StatsSample"/> at start and then every minute. The figures come from the index's kept
/// totals and the counters not yet flushed (what /api/stats shows), so a sample never scans anything.</summary>
internal sealed class StatsSampler(StatsReader stats, StatsHistory history, BackgroundLoops loops, ILogger<StatsSampler> logger)
    : BackgroundLoop("stats history", Every, loops, logger)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _clock = loops.Clock;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!IsFatal(e))
        {
            // The first sample is a nicety; the loop below reports failures that last.
        }

        await base.ExecuteAsync(stoppingToken).ConfigureAwait(false);
    }

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var report = await stats.ReadAsync(cancellationToken).ConfigureAwait(false);
        history.Add(new StatsSample(_clock.GetUtcNow(), report.Hits, report.Misses, report.Warmed, report.Placeholders, report.Bytes, report.Renditions));
    }

    protected override Task RunFinalAsync() => Task.CompletedTask; // nothing to keep at shutdown
}
