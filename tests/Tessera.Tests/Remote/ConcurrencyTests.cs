using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.Core.Remote;
using static Tessera.Tests.Remote.RemoteTestKit;

namespace Tessera.Tests.Remote;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Parallel_fetches_to_one_host_never_exceed_the_per_host_limit_even_across_ports()
    {
        // Two upstreams on 127.0.0.1 share one gauge. The handler limits connections per origin (host:port), so only
        // the fetcher's per-host limit keeps the total at 2 across both ports.
        var gauge = new Gauge();
        await using var first = await Upstream.StartAsync(gauge.Map);
        await using var second = await Upstream.StartAsync(gauge.Map);
        var fetcher = Fetcher(LoopbackOptions(o => o.MaxConnectionsPerHost = 2));

        var fetches = Enumerable.Range(0, 8)
            .Select(i => fetcher.Fetch((i % 2 == 0 ? first : second).Url("/hold")))
            .ToArray();
        var results = await Task.WhenAll(fetches);

        Assert.All(results, r => AssertFetched(r));
        Assert.InRange(gauge.Max, 1, 2);
        Assert.Equal(8, first.Requests + second.Requests);
        Assert.Equal(0, fetcher.TrackedHosts); // idle hosts are forgotten
    }

    private sealed class Gauge
    {
        private int _current;
        private int _max;

        public int Max => Volatile.Read(ref _max);

        public void Map(WebApplication app, Upstream upstream) => app.MapGet("/hold", async (HttpContext c) =>
        {
            var now = Interlocked.Increment(ref _current);
            int seen;
            while ((seen = Volatile.Read(ref _max)) < now && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }

            try
            {
                await Task.Delay(250, c.RequestAborted);
            }
            finally
            {
                Interlocked.Decrement(ref _current);
            }

            return Results.Bytes(ProviderRoutes.Png, "image/png");
        });
    }
}
