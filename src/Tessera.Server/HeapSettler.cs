using Microsoft.Extensions.Hosting;

namespace Tessera.Server;

/// <summary>Collects the garbage of start-up, after every other part has started and before Kestrel listens (it is
/// the last hosted service registered; the web server starts after all of them). Without it the first collections
/// under load also marked and moved everything start-up left behind (the DI graph, the index's first queries,
/// configuration): 12-13 ms pauses each, twice, in the first second of traffic after a restart, which made that
/// second's p99 latency 9-12 ms against about 3 ms later (bench/NOTES.md §6). Two full collections: the GC's regions
/// age survivors one generation per collection, so after one they sat in generation 1 (2.6 MB), which the first
/// generation-1 collection under load then had to go through again; after two they are in generation 2.</summary>
internal sealed class HeapSettler : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
