using Microsoft.Extensions.Hosting;

namespace Tessera.Server;

/// <summary>Collects the garbage of start-up once, after every other part has started and before Kestrel listens (it
/// is the last hosted service registered; the web server starts after all of them). Without it the first collections
/// under load also marked and moved everything start-up left behind (the DI graph, the index's first queries,
/// configuration): 12-13 ms pauses each, twice, in the first second of traffic after a restart, which made that
/// second's p99 latency 9-12 ms against about 3 ms later (bench/NOTES.md §6). Collected here, the survivors are in the
/// oldest generation before the first request, and the first collections under load are short.</summary>
internal sealed class HeapSettler : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
