using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.Core.Signing;
using Tessera.Tests.Remote;
using Tessera.Tests.Sources;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http;

/// <summary>One extraction, one download and one generation per cold item, however many requests arrive at once.</summary>
public sealed class SourceConcurrencyTests
{
    private const int Requests = 100;

    [Fact]
    public async Task HundredConcurrentRequests_ForAColdAudiobook_RunFfmpegOnce_AndGenerateOnce()
    {
        var entered = 0;
        await using var host = await TesseraHost.StartAsync(
            root => MediaFixtures.Audio(Path.Combine(root, "lib", "book.m4b"), Images.WriteSolidJpeg(Path.Combine(root, "cover.jpg"), 900, 900, 20, 90, 200)),
            beforeStart: app => app.Use(async (context, next) =>
            {
                Interlocked.Increment(ref entered);
                await next(context);
            }));
        using var client = TesseraHost.NewClient(host.BaseAddress, maxConnections: Requests);
        var service = host.Cache.Service;

        // Every encode slot is held, so the extraction cannot start before all requests are in.
        var slots = new List<IDisposable>();
        for (var i = 0; i < host.Cache.Limiter.MaxConcurrent; i++)
        {
            slots.Add(await host.Cache.Limiter.AcquireAsync(CancellationToken.None));
        }

        Task<(HttpStatusCode, byte[])>[] requests;
        try
        {
            requests = [.. Enumerable.Range(0, Requests).Select(async _ =>
            {
                using var response = await client.GetAsync("/t/lib/grid/book.m4b");
                return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
            })];
            await WaitUntil(() => Volatile.Read(ref entered) == Requests && host.Cache.Limiter.Queued >= 1);
        }
        finally
        {
            slots.ForEach(s => s.Dispose());
        }

        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Item1));
        Assert.All(results, r => Assert.Equal(results[0].Item2, r.Item2));
        Assert.Equal(1, host.Cache.Derived.Extractions);
        Assert.Equal(1, service.Generations);
    }

    [Fact]
    public async Task HundredConcurrentRequests_ForAColdSignedUrl_DownloadOnce_AndGenerateOnce()
    {
        const string Key = "concurrency-signing-key-012";
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = 0;
        await using var upstream = await Upstream.StartAsync((app, _) => app.MapGet("/gated.jpg", async () =>
        {
            await gate.Task;
            return Results.Bytes(Images.SolidJpeg(1200, 800, 200, 200, 20), "image/jpeg");
        }));
        await using var host = await TesseraHost.StartAsync(_ => { }, o =>
        {
            o.Remote.AllowedNetworks.Add("127.0.0.1/32");
            o.SigningKeys.Add(Key);
        }, app => app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref entered);
            await next(context);
        }));
        using var client = TesseraHost.NewClient(host.BaseAddress, maxConnections: Requests);
        var path = new UrlSigner([Key]).Sign("grid", upstream.Url("/gated.jpg").AbsoluteUri);

        var requests = Enumerable.Range(0, Requests).Select(async _ =>
        {
            using var response = await client.GetAsync(path);
            return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
        }).ToArray();
        await WaitUntil(() => Volatile.Read(ref entered) == Requests && upstream.Hits("/gated.jpg") == 1);
        gate.SetResult();
        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Item1));
        Assert.All(results, r => Assert.Equal(results[0].Item2, r.Item2));
        Assert.Equal(1, upstream.Hits("/gated.jpg"));
        Assert.Equal(1, host.Cache.Service.Generations);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, "timed out waiting for every request to arrive");
            await Task.Delay(10);
        }
    }
}
