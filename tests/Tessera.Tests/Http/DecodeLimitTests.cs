using System.Diagnostics;
using System.Net;
using Tessera.Tests.Support;
using Xunit.Abstractions;

namespace Tessera.Tests.Http;

/// <summary>Decodes bounded for real, through the real server: a timed-out source answers every request queued for
/// it at once and nothing keeps decoding it; native decodes never exceed Encoding:MaxConcurrent; estimated memory
/// is admitted against Encoding:MemoryBudget; header refusals and over-long waits never wait for a slot. Serial:
/// it samples the process' threads and CPU time, which other tests would disturb.</summary>
[Collection(Serial.Name)]
public sealed class DecodeLimitTests(ITestOutputHelper output)
{
    private static readonly System.Collections.Concurrent.ConcurrentBag<string> Log = [];

    private static readonly string[] Presets = ["thumb", "grid", "grid2x", "detail"];

    [Fact]
    public async Task HeavyPdfs_PastTheTimeout_AnswerEveryQueuedPreset_FromOneDecodeEach_AndTheCpuGoesQuiet()
    {
        // CPU is measured for the whole test process: first let work an earlier test abandoned (a huge decode that
        // outlives its timed-out request, by design) finish, so the quiet window measures this test's decodes only.
        await WaitForQuietProcessAsync();
        await using var host = await TesseraHost.StartAsync(root =>
        {
            HeavySources.WritePdf(Path.Combine(root, "lib", "a.pdf"), 300_000, seed: 1);
            HeavySources.WritePdf(Path.Combine(root, "lib", "b.pdf"), 300_000, seed: 2);
        }, o =>
        {
            o.MaxConcurrentEncodes = 2;
            o.Pipeline.DecodeTimeout = TimeSpan.FromMilliseconds(1); // every render of these pages outlasts it, whatever the machine
        });
        using var client = TesseraHost.NewClient(host.BaseAddress, maxConnections: 32);
        var limiter = host.Cache.Limiter;
        var before = host.Cache.Service.Generations;

        // Sampled on a thread of its own, running before the first request: a pool task was once not scheduled until
        // the loaded test process had answered them all, and saw no slot held (max slots 0).
        using var sampling = new CancellationTokenSource();
        using var sampled = new ManualResetEventSlim();
        var sampler = Task.Factory.StartNew(() =>
        {
            var (slots, native) = (0, new List<int>());
            while (!sampling.IsCancellationRequested)
            {
                slots = Math.Max(slots, limiter.Running);
                native.Add(RunningVipsWorkers());
                sampled.Set();
                Thread.Sleep(10);
            }

            return (slots, native);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        sampled.Wait(TimeSpan.FromMinutes(1));

        var requests = (from file in new[] { "a.pdf", "b.pdf" }
                        from preset in Presets
                        from copy in Enumerable.Range(0, 2) // the copies join the same flight
                        select GetAsync(client, $"/t/lib/{preset}/{file}")).ToArray();
        var answers = await Task.WhenAll(requests);

        // The answers are in; a render inside poppler's one uninterruptible call may still be finishing. It holds
        // its slot until it returns, so once no slot is held, nothing native is left running.
        var waited = Stopwatch.StartNew();
        while (limiter.Running > 0 && waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(50);
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var quiet = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        await sampling.CancelAsync();
        var (maxSlots, nativeSamples) = await sampler;
        var maxNative = nativeSamples.Count == 0 ? 0 : nativeSamples.Max();
        var overLimit = nativeSamples.Count(n => n > 3);
        output.WriteLine($"decodes {host.Cache.Service.Generations - before}, max slots {maxSlots}, max busy libvips workers {maxNative}, " +
            $"native end after answers {waited.Elapsed.TotalSeconds:0.0} s, CPU over the next 2 s {quiet.TotalMilliseconds:0} ms; " +
            string.Join(", ", answers.Select(a => a.Placeholder ?? "image")) + "\n" + string.Join("\n", Log));

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "timeout"), a));
        Assert.Equal(0, limiter.Running);
        // One decode per source at a time: every other request for it is answered from its timeout. Main decodes all 8.
        Assert.Equal(2, host.Cache.Service.Generations - before);
        Assert.InRange(maxSlots, 1, 2);
        // A sample can catch a thread finishing (a worker going idle, a save's write-behind) beside the running ones, more
        // often on a loaded machine; the probe of the old code saw 12–13 busy workers for a limit of 2, all the time.
        Assert.InRange(maxNative, 0, 6);
        Assert.True(overLimit * 10 <= nativeSamples.Count, $"{overLimit} of {nativeSamples.Count} samples saw more than 3 busy libvips workers");
        // The whole test process is measured (other fixtures' timers, GC, JIT): under 0.6 of one core, where runaway renders
        // kept both cores busy (4,000 ms in 2 s) for minutes.
        Assert.True(quiet < TimeSpan.FromMilliseconds(1200), $"{quiet.TotalMilliseconds:0} ms of CPU after the decodes ended");
    }

    [Fact]
    public async Task TwoHugeInterlacedPngs_OverTheMemoryBudget_DecodeOneAtATime_WhileSmallImagesStillGo()
    {
        await using var host = await TesseraHost.StartAsync(root =>
        {
            HeavySources.WriteInterlacedPng(Path.Combine(root, "lib", "huge1.png"), 9000, 9000);
            HeavySources.WriteInterlacedPng(Path.Combine(root, "lib", "huge2.png"), 9000, 9000, 200, 40, 40);
            Images.WriteSolidJpeg(Path.Combine(root, "lib", "small.jpg"), 300, 200);
        }, o =>
        {
            o.MaxConcurrentEncodes = 3;
            o.EncodeMemoryBudget = 300L * 1024 * 1024; // one 9000² RGB decode is ~243 MB
        });
        using var client = TesseraHost.NewClient(host.BaseAddress, maxConnections: 8);
        var limiter = host.Cache.Limiter;

        var huge = new[] { GetAsync(client, "/t/lib/grid/huge1.png"), GetAsync(client, "/t/lib/grid/huge2.png") };
        var maxMemory = 0L;
        var sawOneWaiting = false;
        (HttpStatusCode Status, string? Placeholder) small = default;
        while (!huge.All(h => h.IsCompleted))
        {
            maxMemory = Math.Max(maxMemory, limiter.MemoryInUse);
            if (!sawOneWaiting && limiter is { Running: 1, Queued: 1 })
            {
                sawOneWaiting = true;
                small = await GetAsync(client, "/t/lib/grid/small.jpg"); // a free slot and room in the budget: it goes
            }

            await Task.Delay(5);
        }

        var answers = await Task.WhenAll(huge);
        output.WriteLine($"max estimated memory in use {maxMemory / 1048576} MiB, a huge one waited with a slot free: {sawOneWaiting}");
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, null), (a.Status, a.Placeholder)));
        Assert.True(sawOneWaiting, "the second huge image should wait for memory while a slot is free");
        Assert.Equal((HttpStatusCode.OK, null), small);
        Assert.InRange(maxMemory, 1, 300L * 1024 * 1024);
    }

    [Fact]
    public async Task PixelBomb_IsRefusedFromItsHeader_WhileEverySlotIsHeld()
    {
        await using var host = await TesseraHost.StartAsync(
            root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "bomb.jpg"), 3000, 3000),
            o =>
            {
                o.MaxConcurrentEncodes = 1;
                o.Pipeline.MaxSourcePixels = 1_000_000;
            });
        using var held = await host.Cache.Limiter.AcquireAsync(CancellationToken.None);

        var answer = await GetAsync(host.Client, "/t/lib/grid/bomb.jpg").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((HttpStatusCode.OK, "too-large"), answer);
    }

    [Fact]
    public async Task Request_WaitingLongerThanMaxQueueWait_Gets429WithRetryAfter()
    {
        await using var host = await TesseraHost.StartAsync(
            root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "a.jpg"), 800, 600),
            o =>
            {
                o.MaxConcurrentEncodes = 1;
                o.MaxQueueWait = TimeSpan.FromSeconds(1);
            });
        using var held = await host.Cache.Limiter.AcquireAsync(CancellationToken.None);

        using var response = await host.Client.GetAsync("/t/lib/grid/a.jpg").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(0, host.Cache.Limiter.Queued);
    }

    private static async Task<(HttpStatusCode Status, string? Placeholder)> GetAsync(HttpClient client, string url)
    {
        var sw = Stopwatch.StartNew();
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        Log.Add($"{url} {sw.Elapsed.TotalSeconds:0.0}s {body.Length}B cache={HttpAssert.Header(response, "X-Tessera-Cache")} src={HttpAssert.Header(response, "X-Tessera-Source")} detail={HttpAssert.Header(response, "X-Tessera-Detail")}");
        return (response.StatusCode, HttpAssert.Header(response, "X-Tessera-Placeholder"));
    }

    /// <summary>libvips worker threads of this process on a CPU now (state R): native decodes really running.</summary>
    private static async Task WaitForQuietProcessAsync()
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            await Task.Delay(500);
            if (Process.GetCurrentProcess().TotalProcessorTime - before < TimeSpan.FromMilliseconds(150))
            {
                return;
            }
        }
    }

    private static int RunningVipsWorkers()
    {
        var running = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')];
                if (name.StartsWith("libvips", StringComparison.Ordinal) && stat[(stat.LastIndexOf(')') + 2)..].StartsWith('R'))
                {
                    running++;
                }
            }
            catch (IOException)
            {
                // the thread ended while being read
            }
        }

        return running;
    }
}
