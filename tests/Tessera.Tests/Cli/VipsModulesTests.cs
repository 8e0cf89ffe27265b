using System.Diagnostics;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

/// <summary>libvips loads only the modules Tessera uses (heif, jxl, poppler), and those only when a file that is not a
/// JPEG, PNG or WebP comes: not ImageMagick's or openslide's, whose loaders are blocked anyway, and which cost every
/// start 20-40 ms, their memory, and a format check on every file. Checked on real processes with the dynamic loader's
/// own log (LD_DEBUG=libs), for the CLI and its PDF render worker; and a module loaded late gets the blocks set at start.</summary>
public sealed class VipsModulesTests : IDisposable
{
    private static readonly string[] Originals =
    [
        "formats/immich__IMG_2682.heic", "formats/immich__8bit-sRGB.jxl", "formats/debian-refcard__refcard-en-a4.pdf",
        "formats/libvips__sample.jpg",
    ];

    private static readonly string[] Plain = ["formats/libvips__sample.jpg", "formats/pngsuite__basn6a08.png", "formats/sharp__5_webp_a.webp"];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AWarm_LoadsTheModulesItUses_AndNoOther_InEveryProcess_AndLeavesNoFolderBehind()
    {
        var (loaded, stdout, temp) = await WarmAsync(new Dictionary<string, string>());

        Assert.Contains($"warmed {Originals.Length}, skipped 0, failed 0", stdout, StringComparison.Ordinal); // HEIC, JXL, PDF read
        Assert.True(loaded.Count >= 2, $"the CLI and its PDF render worker each write a loader log; got {loaded.Count}");
        foreach (var libraries in loaded.Values)
        {
            Assert.Contains(libraries, l => l.EndsWith("/vips-heif.so", StringComparison.Ordinal));
            Assert.Contains(libraries, l => l.EndsWith("/vips-jxl.so", StringComparison.Ordinal));
            Assert.Contains(libraries, l => l.EndsWith("/vips-poppler.so", StringComparison.Ordinal));
            Assert.DoesNotContain(libraries, l => l.Contains("vips-magick", StringComparison.Ordinal) || l.Contains("libMagickCore", StringComparison.Ordinal));
            Assert.DoesNotContain(libraries, l => l.Contains("openslide", StringComparison.Ordinal));
        }

        Assert.Empty(Directory.GetFileSystemEntries(temp)); // the private module folder is gone once libvips has started
    }

    [Fact]
    public async Task AWarmOfJpegPngAndWebP_LoadsNoModule()
    {
        var (loaded, stdout, temp) = await WarmAsync(new Dictionary<string, string>(), Plain);

        Assert.Contains($"warmed {Plain.Length}, skipped 0, failed 0", stdout, StringComparison.Ordinal);
        var libraries = Assert.Single(loaded.Values); // the CLI; no PDF, so no render worker
        Assert.DoesNotContain(libraries, l => l.Contains("/vips-", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, l => l.Contains("libheif", StringComparison.Ordinal) || l.Contains("libjxl", StringComparison.Ordinal)
            || l.Contains("libpoppler", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(temp));
    }

    /// <summary>An AVIF output of a JPEG: the encoder (heifsave) is the heif module's, loaded when first asked for.</summary>
    [Fact]
    public async Task AnAvifOutput_LoadsTheHeifModuleWhenItIsFirstAskedFor()
    {
        var (loaded, stdout, _) = await WarmAsync(new Dictionary<string, string> { ["TESSERA__Presets__grid"] = "120x120:avif:50" }, Plain);

        Assert.Contains($"warmed {Plain.Length}, skipped 0, failed 0", stdout, StringComparison.Ordinal);
        Assert.Contains(Assert.Single(loaded.Values), l => l.EndsWith("/vips-heif.so", StringComparison.Ordinal));
    }

    /// <summary>The render worker reads SVG from stdin through libvips' buffer lookup. Given JPEG XL or PDF bytes in a
    /// fresh process, the lookup first loads the modules, whose buffer loaders libvips marks untrusted; blocked at start
    /// by the host (Tessera lets JXL and PDF in from library files only), they must be blocked once loaded too: libvips
    /// then refuses to build them, where an unblocked loader would have read the header ("not jxlload_buffer").</summary>
    [Theory]
    [InlineData("formats/immich__8bit-sRGB.jxl")]
    [InlineData("formats/debian-refcard__refcard-en-a4.pdf")]
    public async Task AModuleLoadedWhenNeeded_KeepsItsUntrustedBufferLoadersBlocked(string original)
    {
        var (code, stderr) = await RenderWorkerAsync(await File.ReadAllBytesAsync(Corpus.Path(original)));

        Assert.Equal(2, code);
        Assert.Contains("operation is blocked", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRenderWorker_StillRendersSanitisedSvgBytes()
    {
        var (code, stderr) = await RenderWorkerAsync(
            """<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect width="30" height="20" fill="#3a6"/></svg>"""u8.ToArray());

        Assert.True(code == 0, stderr);
    }

    [Fact]
    public async Task AVipsHomeSetByTheUser_IsRespected_EveryModuleLoads()
    {
        var (loaded, stdout, _) = await WarmAsync(new Dictionary<string, string> { ["VIPSHOME"] = "/usr" });

        Assert.Contains($"warmed {Originals.Length}, skipped 0, failed 0", stdout, StringComparison.Ordinal);
        Assert.All(loaded.Values, libraries => Assert.Contains(libraries, l => l.Contains("vips-magick", StringComparison.Ordinal)));
    }

    private static async Task<(int Code, string Stderr)> RenderWorkerAsync(byte[] stdin)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in new[] { CliRunner.Dll, "render-worker", "--width", "64", "--height", "64", "--format", "Png", "--quality", "80", "--max-pixels", "100000000" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        await stdout;
        return (process.ExitCode, await stderr);
    }

    private async Task<(Dictionary<string, List<string>> Loaded, string Stdout, string Temp)> WarmAsync(Dictionary<string, string> environment,
        string[]? originals = null)
    {
        var library = _dir.Sub("lib");
        foreach (var original in originals ?? Originals)

        {
            File.Copy(Corpus.Path(original), Path.Combine(library, Path.GetFileName(original)));
        }

        var logs = _dir.Sub("ld");
        var temp = _dir.Sub("tmp");
        environment["LD_DEBUG"] = "libs";
        environment["LD_DEBUG_OUTPUT"] = Path.Combine(logs, "loader");
        environment["TMPDIR"] = temp;
        var (code, stdout, stderr) = await CliRunner.RunWithEnvironmentAsync(environment,
            "warm", "--data", Path.Combine(_dir.Path, "data"), "--presets", "grid", "--parallel", "1", library);
        Assert.True(code == 0, stderr);

        // One log per process (loader.PID): the libraries each one initialised.
        var loaded = Directory.GetFiles(logs).ToDictionary(file => Path.GetFileName(file)!, file => File.ReadLines(file)
            .Where(l => l.Contains("calling init:", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("calling init:", StringComparison.Ordinal) + 13)..].Trim()).ToList());
        // The render worker is a child process of the same binary; `dotnet` itself and other children (ffmpeg) load no libvips.
        loaded = loaded.Where(p => p.Value.Any(l => l.Contains("libvips", StringComparison.Ordinal))).ToDictionary();
        return (loaded, stdout, temp);
    }
}
