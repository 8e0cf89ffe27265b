using System.Diagnostics;
using System.Net;
using Tessera.Tests.Support;
using Xunit.Abstractions;

namespace Tessera.Tests.Http;

/// <summary>A PDF page or SVG that poppler or librsvg would draw for minutes in one native call, through the real
/// server with a 1 s decode timeout: answered with the timeout placeholder, then its worker process is killed, the
/// slot frees and the CPU goes quiet within seconds (in-process, the call ran on, its slot held, a core busy).
/// Serial: it samples the test process' CPU time and child processes.</summary>
[Collection(Serial.Name)]
public sealed class RenderWorkerTimeoutTests(ITestOutputHelper output)
{
    [Fact]
    public Task HeavyPdfPage_PastTheTimeout_IsKilled_AndTheCpuGoesQuiet() =>
        TimesOutAndGoesQuietAsync("heavy.pdf", path => HeavySources.WritePdf(path, 1_000_000));

    [Fact]
    public Task HeavySvg_PastTheTimeout_IsKilled_AndTheCpuGoesQuiet() =>
        TimesOutAndGoesQuietAsync("heavy.svg", path => HeavySources.WriteSvg(path, 20_000));

    private async Task TimesOutAndGoesQuietAsync(string name, Action<string> write)
    {
        await using var host = await TesseraHost.StartAsync(root => write(Path.Combine(root, "lib", name)), o =>
        {
            o.MaxConcurrentEncodes = 2;
            o.Pipeline.DecodeTimeout = TimeSpan.FromSeconds(1);
        });
        var limiter = host.Cache.Limiter;
        var sawWorker = false;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                sawWorker |= RenderWorkers().Count > 0;
                await Task.Delay(50);
            }
        });

        var answers = await Task.WhenAll(
            GetAsync(host.Client, $"/t/lib/grid/{name}"), GetAsync(host.Client, $"/t/lib/thumb/{name}")).WaitAsync(TimeSpan.FromMinutes(2));

        // Killing a process takes milliseconds; the deadline is for a loaded machine. The render itself takes minutes.
        var waited = Stopwatch.StartNew();
        while ((limiter.Running > 0 || RenderWorkers().Count > 0) && waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50);
        }

        await sampling.CancelAsync();
        await sampler;
        var left = (limiter.Running, Workers: RenderWorkers().Count);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var quiet = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        output.WriteLine($"slots and workers left after {waited.Elapsed.TotalSeconds:0.0} s: {left}; CPU over the next 2 s {quiet.TotalMilliseconds:0} ms");

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "timeout"), a));
        Assert.Equal((0, 0), left);
        Assert.True(sawWorker, "the page should render in a worker process");
        Assert.Empty(RenderWorkers());
        // The whole test process is measured (timers, GC, JIT): under 0.6 of one core, where the runaway render kept a
        // core busy (2,000 ms in 2 s) for minutes.
        Assert.True(quiet < TimeSpan.FromMilliseconds(1200), $"{quiet.TotalMilliseconds:0} ms of CPU in 2 s after the timeout");
    }

    private static async Task<(HttpStatusCode Status, string? Placeholder)> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        _ = await response.Content.ReadAsByteArrayAsync();
        return (response.StatusCode, HttpAssert.Header(response, "X-Tessera-Placeholder"));
    }

    /// <summary>Child processes of this test process running <c>render-worker</c>.</summary>
    internal static List<int> RenderWorkers()
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 4)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                if (parent == Environment.ProcessId && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("render-worker", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // the process ended while being read
            }
            catch (UnauthorizedAccessException)
            {
                // not ours
            }
        }

        return found;
    }
}
