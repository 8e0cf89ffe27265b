using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Native;

/// <summary>The NativeAOT `tessera` that ./tessera runs, end to end (the other tests run on the JIT). ./test builds it
/// first (scripts/build-native) and passes its path in TESSERA_NATIVE; where no AOT toolchain exists ./test leaves these
/// tests out and says so. Run any other way, they fail until the binary is named: a missing binary is never a pass.</summary>
public sealed partial class NativeBinaryTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [GeneratedRegex(@"^warmed (\d+), skipped (\d+), failed (\d+) in \d+(\.\d+)? s$", RegexOptions.Multiline)]
    private static partial Regex LastLine();

    [Fact]
    public async Task TheNativeBinary_WarmsAFolder_AndServesAThumbnail_OverHttp()
    {
        var binary = Binary();
        var media = Media();
        var data = Path.Combine(_dir.Path, "data");

        var warm = await RunAsync(binary, "warm", "--data", data, "--presets", "grid", "--parallel", "2", media);
        Assert.True(warm.Code == 0, $"warm exited {warm.Code}: {warm.Stderr}");
        var m = LastLine().Match(warm.Stdout.TrimEnd());
        Assert.True(m.Success, warm.Stdout);
        Assert.Equal(("4", "0", "1"), (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)); // libvips loaded; the broken file failed alone
        Assert.Contains("broken.jpg", warm.Stderr, StringComparison.Ordinal);

        var status = await RunAsync(binary, "status", "--data", data, "--json"); // source-generated JSON in the native binary
        Assert.True(status.Code == 0, status.Stderr);
        using (var json = JsonDocument.Parse(status.Stdout))
        {
            Assert.Equal(4, json.RootElement.GetProperty("renditions").GetInt64());
            Assert.Equal(4, json.RootElement.GetProperty("warmed").GetInt64());
        }

        await using var serve = await ServeProcess.StartProgramAsync(binary, [], new Dictionary<string, string>(),
            "--data", data, "--library", $"lib={media}", "--api-key", Http.TesseraHost.AdminKey);
        using (var thumb = await serve.Client.GetAsync(new Uri("/t/lib/grid/solid.jpg", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, thumb.StatusCode);
            var header = VipsImage.Probe(await thumb.Content.ReadAsByteArrayAsync());
            Assert.True(header.Width is > 0 and <= 400 && header.Height is > 0 and <= 400, $"{header.Width}x{header.Height}");
        }

        using (var fresh = await serve.Client.GetAsync(new Uri("/t/lib/thumb/other.jpg", UriKind.Relative))) // not warmed: generated now
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            Assert.True(VipsImage.Probe(await fresh.Content.ReadAsByteArrayAsync()).Width > 0);
        }

        using (var unknown = await serve.Client.GetAsync(new Uri("/t/lib/huge/solid.jpg", UriKind.Relative))) // a problem body, not a 500
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        }

        var deadline = DateTime.UtcNow.AddSeconds(30); // the index may record the new rendition just after answering
        while (true)
        {
            using var stats = JsonDocument.Parse(await serve.Client.GetStringAsync(new Uri("/api/stats", UriKind.Relative)));
            if (stats.RootElement.GetProperty("renditions").GetInt64() == 5)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/api/stats never counted the fifth rendition: {stats.RootElement}");
            await Task.Delay(200);
        }

        Assert.Equal(0, await serve.StopAsync());
    }

    private static string Binary()
    {
        var path = Environment.GetEnvironmentVariable("TESSERA_NATIVE");
        Assert.False(string.IsNullOrEmpty(path),
            "TESSERA_NATIVE does not name the native tessera: run ./test, which builds it with scripts/build-native and sets it");
        Assert.True(File.Exists(path), $"TESSERA_NATIVE names {path}, which does not exist");
        return path;
    }

    private string Media()
    {
        var media = _dir.Sub("media");
        Images.WriteSolidJpeg(Path.Combine(media, "solid.jpg"), 1200, 800);
        Images.WriteSolidJpeg(Path.Combine(media, "other.jpg"), 640, 960, 20, 120, 220);
        foreach (var f in new[] { "photos/sharp__Landscape_9.jpg", "exif/Landscape_6.jpg" })
        {
            File.Copy(Corpus.Path(f), Path.Combine(media, Path.GetFileName(f)));
        }

        File.WriteAllText(Path.Combine(media, "broken.jpg"), "not a jpeg");
        return media;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string binary, params string[] args)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"tessera {string.Join(' ', args)} did not finish within 5 minutes: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
