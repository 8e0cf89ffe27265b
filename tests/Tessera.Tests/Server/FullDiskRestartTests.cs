using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Tessera.Tests.Http;
using Tessera.Tests.Support;

namespace Tessera.Tests.Server;

/// <summary>`tessera serve` restarted on a data disk with 0 bytes free — after a clean shutdown and after kill -9 — stays
/// up and serves what is stored; when space returns it leaves that state by itself. The data folder is a small tmpfs
/// the test mounts: that needs root (CI runs as root), and without it the test fails saying so.</summary>
[Collection(Serial.Name)]
public sealed class FullDiskRestartTests : IDisposable
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["TESSERA__Cache__FlushInterval"] = "500ms",
        ["TESSERA__Cache__EvictionInterval"] = "500ms",
        ["TESSERA__Cache__MinFreeDisk"] = "1MiB", // "free disk" then fails only when the disk is (nearly) full
    };

    private readonly TempDir _dir = new();
    private readonly string _mount;
    private readonly string _library;

    public FullDiskRestartTests()
    {
        _mount = _dir.Sub("small-disk");
        var (code, err) = SmallDisk.Run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", _mount);
        if (code != 0)
        {
            throw new InvalidOperationException($"this test mounts a 4 MiB tmpfs and needs root (mount said: {err.Trim()})");
        }

        _library = _dir.Sub("lib");
        for (var i = 0; i < 6; i++)
        {
            Images.WriteSolidJpeg(Path.Combine(_library, $"{i}.jpg"), 800, 600, (byte)(i * 40), 90, 30);
        }
    }

    public void Dispose()
    {
        SmallDisk.Run("umount", "-l", _mount);
        _dir.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Restart_OnAFullDataDisk_ServesWhatIsStored_AndLeavesDegradedModeWhenSpaceReturns(bool crash)
    {
        var data = Path.Combine(_mount, "data");
        var filler = Path.Combine(_mount, "filler");
        var etags = new Dictionary<int, string>();
        await using (var first = await ServeProcess.StartAsync(Environment, "--data", data, "--library", $"lib={_library}", "--api-key", Tessera.Tests.Http.TesseraHost.AdminKey))
        {
            for (var i = 0; i < 3; i++)
            {
                using var made = await first.Client.GetAsync(Thumb(i));
                Assert.Equal(HttpStatusCode.OK, made.StatusCode);
                etags[i] = made.Headers.ETag!.Tag;
            }

            if (!crash)
            {
                Assert.Equal(0, await first.StopAsync());
                Assert.False(File.Exists(Path.Combine(data, "tessera.db-wal")), "a clean shutdown leaves no WAL");
            }
        } // kill -9 when crash: the WAL stays behind

        Assert.Equal(crash, File.Exists(Path.Combine(data, "tessera.db-wal")));
        SmallDisk.Fill(filler);
        Assert.Equal(0, new DriveInfo(_mount).AvailableFreeSpace);

        await using var serve = await ServeProcess.StartAsync(Environment, "--data", data, "--library", $"lib={_library}", "--api-key", Tessera.Tests.Http.TesseraHost.AdminKey);
        var degraded = !IndexWritable(await ReadyAsync(serve));
        Assert.True(degraded || crash, "after a clean shutdown the index cannot be opened read-write on a full disk:\n" + serve.Output);

        // Held full for 30 s: stored renditions are hits with the same ETag (and 304s), a miss gets its answer, readiness says why.
        var clock = Stopwatch.StartNew();
        var rounds = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(30) || rounds < 3)
        {
            Assert.False(serve.HasExited, "serve exited on a full disk:\n" + serve.Output);
            var i = rounds % 3;
            using (var hit = await serve.Client.GetAsync(Thumb(i)))
            {
                Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
                Assert.Equal(etags[i], hit.Headers.ETag!.Tag);
                Assert.Equal("hit", HttpAssert.Header(hit, "X-Tessera-Cache"));
            }

            using (var conditional = new HttpRequestMessage(HttpMethod.Get, Thumb(i)))
            {
                conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etags[i]));
                using var notModified = await serve.Client.SendAsync(conditional);
                Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            }

            using (var miss = await serve.Client.GetAsync(Thumb(3 + (rounds % 3))))
            {
                if (degraded)
                {
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, miss.StatusCode);
                    Assert.NotNull(miss.Headers.RetryAfter);
                    Assert.Contains("disk is full", await miss.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }
                else
                {
                    // Opened read-write after all (SQLite reused the crashed WAL's space): made and served uncached, as when the disk fills while running.
                    Assert.Equal(HttpStatusCode.OK, miss.StatusCode);
                }
            }

            var ready = await ReadyAsync(serve);
            Assert.Equal("unhealthy", ready.GetProperty("status").GetString());
            Assert.Contains(degraded ? "index writable: the data disk is full" : "free disk", ready.GetProperty("reason").GetString(), StringComparison.Ordinal);
            using (var live = await serve.Client.GetAsync(new Uri("/healthz", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }

            rounds++;
            await Task.Delay(1000);
        }

        Assert.Equal(degraded ? 1 : 0, Count(serve.Output, "cannot be opened read-write"));

        // Space returns: within the retry's backoff (at most a minute) readiness is ok, and a miss (never asked for, so not
        // in memory either) is made and stored.
        File.Delete(filler);
        var deadline = Stopwatch.StartNew();
        JsonElement last;
        while (!((last = await ReadyAsync(serve)).GetProperty("status").GetString() == "ok") && deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            await Task.Delay(500);
        }

        Assert.True(last.GetProperty("status").GetString() == "ok", $"/readyz never became ok: {last}\n{serve.Output}");
        Assert.Equal(degraded ? 1 : 0, Count(serve.Output, "is writable again"));
        using (var made = await serve.Client.GetAsync(Thumb(5, "thumb")))
        {
            Assert.Equal(HttpStatusCode.OK, made.StatusCode);
            Assert.Equal("miss", HttpAssert.Header(made, "X-Tessera-Cache"));
        }

        using (var stored = await serve.Client.GetAsync(Thumb(5, "thumb")))
        {
            Assert.Equal("hit", HttpAssert.Header(stored, "X-Tessera-Cache"));
        }

        using var stats = JsonDocument.Parse(await serve.Client.GetStringAsync(new Uri("/api/stats", UriKind.Relative)));
        Assert.True(stats.RootElement.GetProperty("hits").GetInt64() >= rounds, $"the hits served while degraded were not counted: {stats.RootElement}");
        Assert.False(serve.HasExited);
    }

    private static Uri Thumb(int i, string preset = "grid") => new($"/t/lib/{preset}/{i}.jpg?format=jpeg", UriKind.Relative);

    private static async Task<JsonElement> ReadyAsync(ServeProcess serve)
    {
        using var response = await serve.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static bool IndexWritable(JsonElement ready) =>
        ready.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "index writable").GetProperty("ok").GetBoolean();

    private static int Count(string text, string value) => (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;
}
