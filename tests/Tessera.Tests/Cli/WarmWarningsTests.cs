using System.Globalization;
using System.Text.RegularExpressions;
using Tessera.Tests.Http;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

/// <summary>libvips' warnings go to the log at debug level and a counter, never to the terminal.</summary>
public sealed partial class WarmWarningsTests
{
    [GeneratedRegex(@"^tessera_libvips_warnings_total (?<value>[0-9.eE+]+)$", RegexOptions.Multiline)]
    private static partial Regex WarningsSample();

    /// <summary>A JPEG cut off in its scan: libjpeg warns "Premature end of JPEG file" and libvips logs it.</summary>
    public static string WriteTruncatedJpeg(string path)
    {
        var whole = Images.SolidJpeg(800, 600, 10, 200, 30);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, whole[..(whole.Length * 2 / 3)]);
        return path;
    }

    [Fact]
    public async Task Warm_OfFilesThatMakeLibvipsWarn_PrintsNoLibvipsLines()
    {
        using var temp = new TempDir();
        WriteTruncatedJpeg(Path.Combine(temp.Path, "lib", "cut.jpg"));
        WriteTruncatedJpeg(Path.Combine(temp.Path, "lib", "cut2.jpg"));
        File.WriteAllText(Path.Combine(temp.Path, "lib", "broken.jpg"), "not a jpeg");

        var warm = await CliRunner.RunProcessAsync("warm", "--data", Path.Combine(temp.Path, "data"), "--presets", "grid,grid2x",
            Path.Combine(temp.Path, "lib"));

        Assert.True(warm.ExitCode == 0, warm.Stderr);
        Assert.DoesNotContain("VIPS", warm.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Premature end", warm.Stderr + warm.Stdout, StringComparison.Ordinal);
        // What remains on stderr is the failure list: one line for the one broken file.
        Assert.Equal(["failed: " + Path.Combine(temp.Path, "lib", "broken.jpg")],
            warm.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..l.IndexOf(" [", StringComparison.Ordinal)]));
    }

    [Fact]
    public async Task LibvipsWarnings_AreCounted_InMetrics()
    {
        await using var host = await TesseraHost.StartAsync(root => WriteTruncatedJpeg(Path.Combine(root, "lib", "cut.jpg")));
        var before = await WarningsAsync(host);

        using var response = await host.Client.GetAsync(new Uri("/t/lib/grid/cut.jpg", UriKind.Relative));

        Assert.True((int)response.StatusCode < 500, response.StatusCode.ToString());
        Assert.True(await WarningsAsync(host) > before, "the truncated JPEG's warning was not counted");
    }

    private static async Task<double> WarningsAsync(TesseraHost host)
    {
        var text = await host.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var m = WarningsSample().Match(text);
        Assert.True(m.Success, "no tessera_libvips_warnings_total counter in /metrics");
        return double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
    }
}
