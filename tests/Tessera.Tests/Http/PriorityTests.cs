using System.Diagnostics;
using System.Net;
using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http;

/// <summary>Background work (jobs, warm: <see cref="ThumbnailService.EnsureAsync(string, Preset, OutputFormat, WorkPriority, CancellationToken)"/>
/// at <see cref="WorkPriority.Background"/>) through the real server, with Encoding:MaxConcurrent 2 and so a share of
/// one: the share is held on purpose (a background slot the test owns), so background work queues and stays queued
/// while requests are answered.</summary>
public sealed class PriorityTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly Preset Grid = PresetCatalog.Default.All.Single(p => p.Name == "grid");

    private static Task<TesseraHost> StartAsync(int files) => TesseraHost.StartAsync(root =>
    {
        for (var i = 0; i < files; i++)
        {
            Images.WriteSolidJpeg(Path.Combine(root, "lib", $"{i}.jpg"), 1200, 900, (byte)(i * 20), 90, 160);
        }
    }, o =>
    {
        o.MaxConcurrentEncodes = 2;
        o.AdminApiKey = TesseraHost.AdminKey; // readiness details
    });

    private static Task<IDisposable> HoldTheShareAsync(GenerationLimiter limiter) =>
        limiter.AcquireAsync(0, new FlightPriority(WorkPriority.Background), CancellationToken.None);

    [Fact]
    public async Task ALiveMiss_IsServed_WhileBackgroundWorkWaitsForItsShare()
    {
        await using var host = await StartAsync(9);
        var limiter = host.Cache.Limiter;
        Assert.Equal(1, limiter.BackgroundShare);
        var held = await HoldTheShareAsync(limiter);
        var jobs = Enumerable.Range(1, 8).Select(i => host.Cache.Service.EnsureAsync(Path.Combine(host.LibraryPath, $"{i}.jpg"), Grid,
            OutputFormat.WebP, WorkPriority.Background, CancellationToken.None)).ToList();
        await WaitUntil(() => limiter.QueuedBackground == 8, "every background generation waiting");

        using var response = await host.Client.GetAsync(new Uri("/t/lib/grid/0.jpg", UriKind.Relative)).WaitAsync(Deadline);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(HttpAssert.Header(response, "X-Tessera-Placeholder"));
        Assert.Equal((8, 1), (limiter.QueuedBackground, limiter.RunningBackground)); // none of them moved meanwhile
        using (var ready = await host.GetAsAdminAsync("/readyz"))
        {
            var body = await ready.Content.ReadAsStringAsync();
            Assert.Contains("background: 1 encoding (share 1), 8 waiting", body, StringComparison.Ordinal);
            Assert.Contains("\"encodesQueuedBackground\":8", body, StringComparison.Ordinal);
            Assert.Contains("\"encodesQueuedLive\":0", body, StringComparison.Ordinal);
        }

        var (most, samples) = (0, 0);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                most = Math.Max(most, limiter.RunningBackground);
                Interlocked.Increment(ref samples);
                await Task.Delay(1);
            }
        });
        await WaitUntil(() => Volatile.Read(ref samples) > 0, "the sampler running");
        held.Dispose();
        var results = await Task.WhenAll(jobs).WaitAsync(Deadline);
        await sampling.CancelAsync();
        await sampler;

        Assert.All(results, r => Assert.Equal(ThumbnailOutcome.Generated, r?.Outcome));
        Assert.Equal(1, most); // one background decode at a time: the other slot stayed free for requests
    }

    [Fact]
    public async Task ALiveRequest_JoiningAWaitingBackgroundGeneration_PromotesIt()
    {
        await using var host = await StartAsync(1);
        var limiter = host.Cache.Limiter;
        using var held = await HoldTheShareAsync(limiter); // held throughout: the job's generation can only go as live
        var before = host.Cache.Service.Generations;
        var job = host.Cache.Service.EnsureAsync(Path.Combine(host.LibraryPath, "0.jpg"), Grid, OutputFormat.WebP, WorkPriority.Background,
            CancellationToken.None);
        await WaitUntil(() => limiter.QueuedBackground == 1, "the background generation waiting");

        using var response = await host.Client.GetAsync(new Uri("/t/lib/grid/0.jpg", UriKind.Relative)).WaitAsync(Deadline);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ThumbnailOutcome.Generated, (await job.WaitAsync(Deadline))?.Outcome); // the same run answered both
        Assert.Equal(1, host.Cache.Service.Generations - before);
        Assert.Equal((0, 1), (limiter.Queued, limiter.RunningBackground));
    }

    [Fact]
    public async Task ARequestForAnotherPreset_OfASourceABackgroundGenerationWaitsOn_PromotesThatGeneration()
    {
        await using var host = await StartAsync(1);
        var limiter = host.Cache.Limiter;
        using var held = await HoldTheShareAsync(limiter);
        var thumb = PresetCatalog.Default.All.Single(p => p.Name == "thumb");
        var job = host.Cache.Service.EnsureAsync(Path.Combine(host.LibraryPath, "0.jpg"), thumb, OutputFormat.WebP, WorkPriority.Background,
            CancellationToken.None);
        await WaitUntil(() => limiter.QueuedBackground == 1, "the background generation waiting, holding the source's turn");

        // One decode of a source at a time: the grid request waits for the job's thumb, which inherits its priority.
        using var response = await host.Client.GetAsync(new Uri("/t/lib/grid/0.jpg", UriKind.Relative)).WaitAsync(Deadline);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ThumbnailOutcome.Generated, (await job.WaitAsync(Deadline))?.Outcome);
        Assert.Equal(0, limiter.Queued);
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Deadline, $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }
}
