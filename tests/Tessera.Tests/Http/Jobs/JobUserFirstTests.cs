using System.Net;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Jobs;

/// <summary>Issue 10's "the user always comes first", end to end: a warm job that has more work than its share of
/// encode slots runs at background priority, never holds more than Jobs:MaxShare slots, and requests for images
/// outside the job are generated and answered while it runs.</summary>
public sealed class JobUserFirstTests
{
    [Fact]
    public async Task LiveMisses_AreServed_WhileAJobSaturatesItsShare()
    {
        await using var host = await TesseraHost.StartAsync(root =>
        {
            // Distinct noise photos, large enough that each decode is real work: the job always has some waiting.
            for (var i = 0; i < 40; i++)
            {
                Directory.CreateDirectory(Path.Combine(root, "lib", "batch"));
                File.WriteAllBytes(Path.Combine(root, "lib", "batch", $"b{i:00}.png"), NoiseImages.Png(1200, 900, seed: 100 + i));
            }

            Directory.CreateDirectory(Path.Combine(root, "lib", "live"));
            for (var i = 0; i < 6; i++)
            {
                File.WriteAllBytes(Path.Combine(root, "lib", "live", $"l{i}.png"), NoiseImages.Png(800, 600, seed: 900 + i));
            }
        }, o =>
        {
            JobApi.Configure(o);
            o.MaxConcurrentEncodes = 2;
            o.JobEncodeShare = 1;
            o.Jobs.Concurrency = 3; // more units at once than the share: background work queues in the limiter
            o.Jobs.UnitParallelism = 2;
            o.Jobs.UnitSize = 5;
        });
        var limiter = host.Cache.Limiter;
        var job = await JobApi.CreateAsync(host.Client, """{"kind":"warm","library":"lib","paths":["batch"],"presets":["grid","thumb"]}""");

        var maxBackground = 0;
        var sawQueuedBackground = false;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Factory.StartNew(() =>
        {
            while (!sampling.IsCancellationRequested)
            {
                maxBackground = Math.Max(maxBackground, limiter.RunningBackground);
                sawQueuedBackground |= limiter.QueuedBackground > 0;
                Thread.Sleep(2);
            }
        }, TaskCreationOptions.LongRunning);

        // Wait until the job is really at work and has more than its share waiting.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!(limiter.RunningBackground == 1 && limiter.QueuedBackground > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "the job never saturated its share");
            await Task.Delay(5);
        }

        var answered = new List<(HttpStatusCode Status, string? Cache, string? Placeholder, bool JobRunning)>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await host.Client.GetAsync($"/t/lib/grid/live/l{i}.png");
            var state = await JobApi.GetAsync(host.Client, job.Id);
            answered.Add((response.StatusCode, HttpAssert.Header(response, "X-Tessera-Cache"),
                response.Headers.TryGetValues("X-Tessera-Placeholder", out var p) ? string.Join(",", p) : null, !state.IsFinished));
        }

        var finished = await JobApi.FinishedAsync(host.Client, job.Id);
        await sampling.CancelAsync();
        await sampler;

        // Every live request was a real generation (a miss, no placeholder, no 429), answered while the job still ran.
        Assert.All(answered, a => Assert.Equal((HttpStatusCode.OK, "miss", (string?)null), (a.Status, a.Cache, a.Placeholder)));
        Assert.True(answered.Count(a => a.JobRunning) >= 3, $"the job finished before the live requests were answered: {string.Join(' ', answered)}");
        Assert.True(sawQueuedBackground);
        Assert.Equal(1, maxBackground); // never more than Jobs:MaxShare slots for the job
        Assert.Equal(("completed", 80L, 0L), (finished.Status, finished.Completed, finished.Failed));
    }
}
