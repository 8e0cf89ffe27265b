using System.Text.Json;
using System.Text.RegularExpressions;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

public sealed partial class CommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [GeneratedRegex(@"^warmed (\d+), skipped (\d+), failed (\d+) in \d+(\.\d+)? s$", RegexOptions.Multiline)]
    private static partial Regex LastLine();

    [Fact]
    public async Task Warm_GeneratesEverything_ThenSkipsFreshRenditions_AndFailsSingleFilesWithExitZero()
    {
        var media = _dir.Sub("media");
        foreach (var f in new[] { "photos/sharp__Landscape_9.jpg", "exif/Landscape_6.jpg", "formats/filetype__fixture-imovie.mp4", "formats/filetype__fixture-id3v2.aac", "formats/debian-refcard__refcard-en-a4.pdf" })
        {
            File.Copy(Corpus.Path(f), Path.Combine(media, Path.GetFileName(f)));
        }

        await File.WriteAllTextAsync(Path.Combine(media, "broken.jpg"), "not a jpeg");
        await File.WriteAllTextAsync(Path.Combine(media, "notes.txt"), "ignored: not media");
        var data = Path.Combine(_dir.Path, "data");

        var first = await CliRunner.RunAsync("warm", "--data", data, "--presets", "thumb,grid", "--parallel", "2", media);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var m = LastLine().Match(first.Stdout.TrimEnd());
        Assert.True(m.Success, first.Stdout);
        Assert.Equal(("10", "0", "2"), (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value));
        Assert.Contains("broken.jpg", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("12/12", first.Stdout, StringComparison.Ordinal); // plain progress lines when not a terminal

        var second = await CliRunner.RunAsync("warm", "--data", data, "--presets", "thumb,grid", media);
        var m2 = LastLine().Match(second.Stdout.TrimEnd());
        Assert.True(m2.Success, second.Stdout);
        Assert.Equal(("0", "10"), (m2.Groups[1].Value, m2.Groups[2].Value));

        var status = await CliRunner.RunAsync("status", "--data", data, "--json");
        Assert.Equal(0, status.ExitCode);
        using var json = JsonDocument.Parse(status.Stdout);
        Assert.Equal(10, json.RootElement.GetProperty("renditions").GetInt64());
        Assert.Equal(6, json.RootElement.GetProperty("items").GetInt64()); // the broken file is a known item too
        Assert.Equal(10, json.RootElement.GetProperty("warmed").GetInt64());
        Assert.True(json.RootElement.GetProperty("generation").GetProperty("p50Ms").GetDouble() > 0);

        var table = await CliRunner.RunAsync("status", "--data", data);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("renditions", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("preset grid", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warm_OfAMissingPath_OrWithAnUnknownPreset_FailsWithAClearMessage()
    {
        var data = Path.Combine(_dir.Path, "data");
        var missing = await CliRunner.RunAsync("warm", "--data", data, "/no/such/folder");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("/no/such/folder", missing.Stderr + missing.Stdout, StringComparison.Ordinal);

        var preset = await CliRunner.RunAsync("warm", "--data", data, "--presets", "huge", _dir.Path);
        Assert.NotEqual(0, preset.ExitCode);
        Assert.Contains("unknown preset 'huge'", preset.Stderr + preset.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithoutALibrary_IsAUsageError()
    {
        var result = await CliRunner.RunAsync("serve", "--data", Path.Combine(_dir.Path, "data"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--library", result.Stderr + result.Stdout, StringComparison.Ordinal);

        // A library folder that does not exist fails at start with one clear line, not at the first request.
        var missing = await CliRunner.RunAsync("serve", "--data", Path.Combine(_dir.Path, "data"), "--library", "x=/no/such/folder", "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("tessera: library 'x': folder /no/such/folder does not exist", missing.Stderr.Trim());
    }

    [Fact]
    public async Task Sign_PrintsAPathTheServerVerifies_AndNeedsAKey()
    {
        const string Key = "cli-signing-key-0123456789";
        var result = await CliRunner.RunAsync("sign", "https://covers.example.com/a b.jpg", "--preset", "grid", "--signing-key", Key, "--base", "http://127.0.0.1:8080/");
        Assert.Equal(0, result.ExitCode);
        var url = new Uri(result.Stdout.Trim());
        var parts = url.AbsolutePath.Split('/');
        Assert.Equal(("r", "grid"), (parts[1], parts[3]));
        Assert.True(new Tessera.Core.Signing.UrlSigner([Key]).Verify(parts[2], $"/{parts[3]}/{parts[4]}"));
        Assert.Equal("https://covers.example.com/a%20b.jpg", Tessera.Core.Signing.UrlSigner.Decode(parts[4]));

        var keyless = await CliRunner.RunAsync("sign", "https://covers.example.com/a.jpg", "--preset", "grid");
        Assert.Equal(2, keyless.ExitCode);
        Assert.Contains("no signing key", keyless.Stderr, StringComparison.Ordinal);
    }
}

public sealed class OperatorCommandTests : IDisposable
{
    private readonly Support.TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Health_IsZeroWhenHealthy_AndOneWithTheReasonWhenNot()
    {
        var data = Path.Combine(_dir.Path, "data");
        var ok = await CliRunner.RunAsync("health", "--data", data);
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Contains("libvips", ok.Stdout, StringComparison.Ordinal);
        Assert.Contains("ffmpeg", ok.Stdout, StringComparison.Ordinal);

        var full = await CliRunner.RunAsync("health", "--data", data, "--min-free-mib", "1000000000000");
        Assert.Equal(1, full.ExitCode);
        Assert.Contains("unhealthy: free disk", full.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RebuildIndex_RestoresTheRowsFromTheFiles()
    {
        var media = _dir.Sub("media");
        Support.Images.WriteSolidJpeg(Path.Combine(media, "a.jpg"), 300, 200);
        Support.Images.WriteSolidJpeg(Path.Combine(media, "b.jpg"), 200, 300, 1, 2, 3);
        var data = Path.Combine(_dir.Path, "data");
        Assert.Equal(0, (await CliRunner.RunAsync("warm", "--data", data, "--presets", "grid", media)).ExitCode);

        var rebuilt = await CliRunner.RunAsync("rebuild-index", "--data", data);
        Assert.Equal(0, rebuilt.ExitCode);
        Assert.Contains("rebuilt 2 rendition rows", rebuilt.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clear_RemovesOnePresetsRenditions_AndWarmRegeneratesThem()
    {
        var media = _dir.Sub("media");
        Support.Images.WriteSolidJpeg(Path.Combine(media, "a.jpg"), 300, 200);
        var data = Path.Combine(_dir.Path, "data");
        Assert.Equal(0, (await CliRunner.RunAsync("warm", "--data", data, "--presets", "thumb,grid", media)).ExitCode);

        var cleared = await CliRunner.RunAsync("clear", "--data", data, "--preset", "thumb");
        Assert.Equal(0, cleared.ExitCode);
        Assert.Contains("cleared 1 renditions", cleared.Stdout, StringComparison.Ordinal);
        var again = await CliRunner.RunAsync("warm", "--data", data, "--presets", "thumb,grid", media);
        Assert.Contains("warmed 1, skipped 1, failed 0", again.Stdout, StringComparison.Ordinal);

        var bad = await CliRunner.RunAsync("clear", "--data", data, "--preset", "nope");
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public async Task Cleanup_DryRunReportsWhatTheRunRemoves_AndBadValuesFail()
    {
        var media = _dir.Sub("media");
        var gone = Support.Images.WriteSolidJpeg(Path.Combine(media, "a.jpg"), 300, 200);
        Support.Images.WriteSolidJpeg(Path.Combine(media, "b.jpg"), 200, 300, 1, 2, 3);
        var data = Path.Combine(_dir.Path, "data");
        Assert.Equal(0, (await CliRunner.RunAsync("warm", "--data", data, "--presets", "thumb,grid", media)).ExitCode);
        File.Delete(gone);

        var dry = await CliRunner.RunAsync("cleanup", "--data", data, "--dry-run", "--older-than", "30d", "--max-size", "1GB");
        var real = await CliRunner.RunAsync("cleanup", "--data", data, "--older-than", "30d", "--max-size", "1GB");
        var again = await CliRunner.RunAsync("cleanup", "--data", data);

        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("dry run", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("deleted sources: 2 renditions", dry.Stdout, StringComparison.Ordinal);
        var total = Regex.Match(real.Stdout, @"^removed 2 renditions \(\d+ bytes\), 1 fingerprints$", RegexOptions.Multiline);
        Assert.True(total.Success, real.Stdout);
        Assert.Contains(total.Value, dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("removed 0 renditions (0 bytes), 0 fingerprints", again.Stdout, StringComparison.Ordinal);

        var badAge = await CliRunner.RunAsync("cleanup", "--data", data, "--older-than", "30x");
        Assert.NotEqual(0, badAge.ExitCode);
        Assert.Contains("not a duration", badAge.Stderr, StringComparison.Ordinal);
        var badSize = await CliRunner.RunAsync("cleanup", "--data", data, "--max-size", "lots");
        Assert.NotEqual(0, badSize.ExitCode);
        Assert.Contains("not a size", badSize.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_And_Monitor_ShowTheFigures()
    {
        var media = _dir.Sub("media");
        Support.Images.WriteSolidJpeg(Path.Combine(media, "a.jpg"), 300, 200);
        await File.WriteAllTextAsync(Path.Combine(media, "broken.jpg"), "not a jpeg");
        var data = Path.Combine(_dir.Path, "data");
        Assert.Equal(0, (await CliRunner.RunAsync("warm", "--data", data, "--presets", "grid", media)).ExitCode);

        var report = await CliRunner.RunAsync("report", "--data", data);
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Contains("bytes by preset", report.Stdout, StringComparison.Ordinal);
        Assert.Contains("decode-failed", report.Stdout, StringComparison.Ordinal);
        Assert.Contains("a.jpg", report.Stdout, StringComparison.Ordinal); // the only slow source there is

        var monitor = await CliRunner.RunAsync("monitor", "--data", data, "--interval", "200ms", "--count", "2");
        Assert.True(monitor.ExitCode == 0, monitor.Stderr);
        var lines = monitor.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Contains("renditions 1 ", l, StringComparison.Ordinal));

        var bad = await CliRunner.RunAsync("monitor", "--data", data, "--interval", "soon");
        Assert.NotEqual(0, bad.ExitCode);
    }
}
