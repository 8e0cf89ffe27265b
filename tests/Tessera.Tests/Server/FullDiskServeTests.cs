using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tessera.Tests.Support;

namespace Tessera.Tests.Server;

/// <summary>A real `tessera serve` process whose data folder is a tiny tmpfs that fills up: the background loops keep
/// failing, and the process must stay up, say so in readiness, and recover. Mounting needs root (CI runs as root);
/// without it the test fails saying so.</summary>
[Collection(Serial.Name)]
public sealed class FullDiskServeTests : IDisposable
{
    private static readonly Dictionary<string, string> FastLoops = new()
    {
        ["TESSERA__Cache__FlushInterval"] = "500ms",
        ["TESSERA__Cache__EvictionInterval"] = "500ms",
    };

    private readonly TempDir _dir = new();
    private readonly string _mount;
    private readonly string _library;

    public FullDiskServeTests()
    {
        _mount = _dir.Sub("small-disk");
        var (code, err) = SmallDisk.Run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", _mount);
        if (code != 0)
        {
            throw new InvalidOperationException($"this test mounts a 2 MiB tmpfs and needs root (mount said: {err.Trim()})");
        }

        _library = _dir.Sub("lib");
        for (var i = 0; i < 12; i++)
        {
            Images.WriteSolidJpeg(Path.Combine(_library, $"{i}.jpg"), 800, 600, (byte)(i * 20), 90, 30);
        }
    }

    public void Dispose()
    {
        SmallDisk.Run("umount", "-l", _mount);
        _dir.Dispose();
    }

    [Fact]
    public async Task Serve_OnAFullDisk_StaysUp_ReportsTheFailingLoop_AndRecovers_AndARestartOnTheFullDiskStaysUp()
    {
        var data = Path.Combine(_mount, "data");
        var filler = Path.Combine(_mount, "filler");
        await using (var serve = await ServeProcess.StartAsync(FastLoops, "--data", data, "--library", $"lib={_library}", "--api-key", Tessera.Tests.Http.TesseraHost.AdminKey))
        {
            await AssertReadyAsync(serve, true);
            SmallDisk.Fill(filler);

            // Held full for 12 s: with 0.5 s intervals and backoff capped at 4 s, every loop fails several times.
            var misses = 0;
            var clock = Stopwatch.StartNew();
            string? reason = null;
            while (clock.Elapsed < TimeSpan.FromSeconds(12))
            {
                Assert.False(serve.HasExited, "serve exited on a full disk:\n" + serve.Output);
                using (var response = await serve.Client.GetAsync(new Uri($"/t/lib/grid/{misses % 12}.jpg", UriKind.Relative)))
                {
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }

                misses++;
                using var ready = await serve.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    reason = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("reason").GetString();
                }

                await Task.Delay(300);
            }

            Assert.False(serve.HasExited, "serve exited on a full disk:\n" + serve.Output);
            Assert.NotNull(reason);
            Assert.Contains("background: counter flush failing for", reason, StringComparison.Ordinal);
            var failures = int.Parse(System.Text.RegularExpressions.Regex.Match(reason!, @"counter flush failing for \d+ s \((\d+) failures\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(failures >= 4, $"only {failures} failed flushes: {reason}");
            using (var live = await serve.Client.GetAsync(new Uri("/healthz", UriKind.Relative)))
            {
                Assert.NotEqual(HttpStatusCode.InternalServerError, live.StatusCode);
            }

            // One log line for the first failure, not one per cycle.
            Assert.Equal(1, Count(serve.Output, "Background counter flush failed"));

            // Space returns: readiness is ok again and the counters kept through the failures reach the index.
            File.Delete(filler);
            await AssertReadyAsync(serve, true);
            using var stats = JsonDocument.Parse(await serve.Client.GetStringAsync(new Uri("/api/stats", UriKind.Relative)));
            var indexed = stats.RootElement.GetProperty("hits").GetInt64() + stats.RootElement.GetProperty("misses").GetInt64();
            Assert.True(indexed >= misses, $"{indexed} requests counted in the index, {misses} made");
            Assert.Contains("Background counter flush recovered", serve.Output, StringComparison.Ordinal);

            // The disk fills again and the process dies (kill -9 leaves the index's WAL in place, as a crash would).
            SmallDisk.Fill(filler);
        }

        // A restart on the still-full disk stays up and answers.
        await using (var again = await ServeProcess.StartAsync(FastLoops, "--data", data, "--library", $"lib={_library}", "--api-key", Tessera.Tests.Http.TesseraHost.AdminKey))
        {
            for (var i = 0; i < 16; i++)
            {
                using var response = await again.Client.GetAsync(new Uri($"/t/lib/grid/{i % 12}.jpg?format=jpeg", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                await Task.Delay(500);
            }

            Assert.False(again.HasExited, "serve exited after a restart on a full disk:\n" + again.Output);
            await AssertReadyAsync(again, false);
        }
    }

    /// <summary>Waits for /readyz's "background" check to be ok (or failing). The tiny disk always fails "free disk",
    /// so readiness as a whole is 503 here; the background check is what this test is about.</summary>
    private static async Task AssertReadyAsync(ServeProcess serve, bool ready)
    {
        var clock = Stopwatch.StartNew();
        string body = string.Empty;
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            using var response = await serve.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
            body = await response.Content.ReadAsStringAsync();
            var background = JsonDocument.Parse(body).RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "background");
            if (background.GetProperty("ok").GetBoolean() == ready)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"/readyz never became {(ready ? "ready" : "unready")}: {body}\n{serve.Output}");
    }

    private static int Count(string text, string value) => (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;
}
