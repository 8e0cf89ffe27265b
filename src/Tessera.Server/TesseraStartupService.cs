using Microsoft.Extensions.Hosting;
using Tessera.Core.Storage;
using Tessera.Server.Metrics;

namespace Tessera.Server;

/// <summary>Opens the data folder before the server takes requests: the index opens (and migrates), abandoned temp
/// files go, a lost index is rebuilt from the files, the invalidation handler subscribes, and the metrics exporter starts listening.</summary>
internal sealed class TesseraStartupService(FolderStartup startup, PrometheusExporter exporter, Core.Cache.InvalidationHandler invalidation) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await startup.RunAsync(cancellationToken).ConfigureAwait(false);
        invalidation.Start(); // purges, cleared negatives and item changes of other replicas drop this one's memory
        exporter.Seed("tessera.requests", "outcome", Core.Stats.TesseraMetrics.Outcomes);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
