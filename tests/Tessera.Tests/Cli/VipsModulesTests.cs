using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

/// <summary>libvips loads only the modules Tessera uses (heif, jxl, poppler): not ImageMagick's or openslide's, whose
/// loaders are blocked anyway, and which cost every start 20-40 ms, their memory, and a format check on every file.
/// Checked on a real process with the dynamic loader's own log (LD_DEBUG=libs), for the CLI and its PDF render worker.</summary>
public sealed class VipsModulesTests : IDisposable
{
    private static readonly string[] Originals =
    [
        "formats/immich__IMG_2682.heic", "formats/immich__8bit-sRGB.jxl", "formats/debian-refcard__refcard-en-a4.pdf",
        "formats/libvips__sample.jpg",
    ];

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
    public async Task AVipsHomeSetByTheUser_IsRespected_EveryModuleLoads()
    {
        var (loaded, stdout, _) = await WarmAsync(new Dictionary<string, string> { ["VIPSHOME"] = "/usr" });

        Assert.Contains($"warmed {Originals.Length}, skipped 0, failed 0", stdout, StringComparison.Ordinal);
        Assert.All(loaded.Values, libraries => Assert.Contains(libraries, l => l.Contains("vips-magick", StringComparison.Ordinal)));
    }

    private async Task<(Dictionary<string, List<string>> Loaded, string Stdout, string Temp)> WarmAsync(Dictionary<string, string> environment)
    {
        var library = _dir.Sub("lib");
        foreach (var original in Originals)
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
