using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Tessera.Tests.Support;
using Tessera.Vips;
using Xunit.Abstractions;

namespace Tessera.Tests.Http;

/// <summary>Concurrency through the real server: one generation per cold key however many ask (single-flight),
/// and 429 instead of an unbounded pile-up when the encode queue is full (back-pressure).</summary>
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task HundredConcurrentRequests_ForOneColdKey_GenerateItOnce()
    {
        const int Requests = 100;
        var entered = 0;
        await using var host = await TesseraHost.StartAsync(
            root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "big.jpg"), 3000, 2000, 40, 160, 90),
            beforeStart: app => app.Use(async (context, next) =>
            {
                if (context.Request.Path.StartsWithSegments("/t"))
                {
                    Interlocked.Increment(ref entered);
                }

                await next(context);
            }));
        using var client = TesseraHost.NewClient(host.BaseAddress, maxConnections: Requests);
        var service = host.Cache.Service;
        var before = service.Generations;

        // Hold every encode slot so the generation cannot finish before all requests are in: they must overlap.
        var slots = new List<IDisposable>();
        for (var i = 0; i < host.Cache.Limiter.MaxConcurrent; i++)
        {
            slots.Add(await host.Cache.Limiter.AcquireAsync(CancellationToken.None));
        }

        Task<(HttpStatusCode Status, string? Cache, byte[] Body)>[] requests;
        try
        {
            requests = Enumerable.Range(0, Requests).Select(async _ =>
            {
                using var response = await client.GetAsync("/t/lib/grid/big.jpg");
                return (response.StatusCode, HttpAssert.Header(response, "X-Tessera-Cache"), await response.Content.ReadAsByteArrayAsync());
            }).ToArray();

            await WaitUntil(() => Volatile.Read(ref entered) == Requests && host.Cache.Limiter.Queued >= 1, "all requests in, a generation waiting");
            Assert.Equal(before, service.Generations);
        }
        finally
        {
            slots.ForEach(s => s.Dispose());
        }

        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(results, r => Assert.Equal(results[0].Body, r.Body));
        Assert.All(results, r => Assert.Contains(r.Cache, new[] { "miss", "hit" }));
        Assert.Equal(1, service.Generations - before);
        var header = VipsImage.Probe(results[0].Body);
        Assert.Equal((400, 267), (header.Width, header.Height));
        output.WriteLine($"misses (generated or joined) {results.Count(r => r.Cache == "miss")}, hits {results.Count(r => r.Cache == "hit")}");
    }

    [Fact]
    public async Task FullEncodeQueue_Answers429WithRetryAfter_AndEveryOtherRequestSucceeds()
    {
        const int Images = 20;
        var stopwatch = Stopwatch.StartNew();
        await using var host = await TesseraHost.StartAsync(
            root =>
            {
                // Large PNGs: no shrink-on-load, so every generation decodes all 12 MP and the requests overlap.
                for (var i = 0; i < Images; i++)
                {
                    using var image = VipsImage.Solid(4000, 3000, 10 * i, 255 - (10 * i), 128);
                    File.WriteAllBytes(Path.Combine(root, "lib", $"large-{i:00}.png"), image.Save(new SaveOptions(ImageFormat.Png)));
                }
            },
            options =>
            {
                options.MaxConcurrentEncodes = 1;
                options.MaxQueuedEncodes = 0;
            });
        output.WriteLine($"fixtures and start: {stopwatch.ElapsedMilliseconds} ms");
        using var client = TesseraHost.NewClient(host.BaseAddress, maxConnections: Images);
        var before = host.Cache.Service.Generations;

        stopwatch.Restart();
        var results = await Task.WhenAll(Enumerable.Range(0, Images).Select(async i =>
        {
            using var response = await client.GetAsync($"/t/lib/grid/large-{i:00}.png");
            var body = await response.Content.ReadAsByteArrayAsync();
            return (Index: i, response.StatusCode, RetryAfter: response.Headers.RetryAfter, response.Content.Headers.ContentType?.MediaType, Body: body);
        }));
        output.WriteLine($"burst: {stopwatch.ElapsedMilliseconds} ms; " + string.Join(" ", results.Select(r => (int)r.StatusCode)));

        Assert.All(results, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"large-{r.Index:00}.png: {(int)r.StatusCode}"));
        var rejected = results.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(rejected);
        Assert.Contains(results, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var r in rejected)
        {
            Assert.NotNull(r.RetryAfter);
            Assert.True(r.RetryAfter.Delta is { } delta && delta > TimeSpan.Zero, $"Retry-After {r.RetryAfter}");
            Assert.Equal("application/problem+json", r.MediaType);
            using var problem = System.Text.Json.JsonDocument.Parse(r.Body);
            Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        }

        foreach (var r in results.Where(r => r.StatusCode == HttpStatusCode.OK))
        {
            Assert.Equal("image/webp", r.MediaType);
            Assert.Equal((400, 300), (VipsImage.Probe(r.Body).Width, VipsImage.Probe(r.Body).Height));
        }

        // Only admitted requests generated anything.
        Assert.Equal(results.Length - rejected.Count, host.Cache.Service.Generations - before);

        // Rejection is temporary: asked again one at a time, every rejected image is served.
        foreach (var r in rejected)
        {
            using var retry = await client.GetAsync($"/t/lib/grid/large-{r.Index:00}.png");
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        }
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"timed out waiting for: {what}");
            }

            await Task.Delay(10);
        }
    }
}
