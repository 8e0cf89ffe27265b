using System.Text.Json;
using Tessera.Core.Configuration;
using Tessera.Tests.Cli;
using Tessera.Tests.Support;

namespace Tessera.Tests.Eviction;

public sealed class WarmBudgetTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("2GB", 2L << 30)]
    [InlineData("500MB", 500L << 20)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("64k", 64L << 10)]
    [InlineData("4096", 4096L)]
    public void Sizes_ParseWithBinaryUnits(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("-5MB")]
    [InlineData("0")]
    public void BadSizes_AreRefused(string text) => Assert.Throws<FormatException>(() => ByteSize.Parse(text));

    [Fact]
    public async Task Warm_OverBudget_EndsWithinBudget_AndStatusShowsTheEvictions()
    {
        var media = _dir.Sub("media");
        for (var i = 0; i < 8; i++)
        {
            Images.WriteSolidJpeg(Path.Combine(media, $"{i}.jpg"), 300 + (i * 40), 200, (byte)(25 * i), 80, 140);
        }

        // Measure what the warm produces without a budget, then warm a fresh folder with half of that.
        var roomy = Path.Combine(_dir.Path, "roomy");
        Assert.Equal(0, (await CliRunner.RunAsync("warm", "--data", roomy, "--presets", "grid", media)).ExitCode);
        var full = await StatusAsync(roomy);
        Assert.Equal(8, full.GetProperty("renditions").GetInt64());
        Assert.Equal(0, full.GetProperty("evictions").GetInt64());
        var budget = full.GetProperty("bytes").GetInt64() / 2;

        var data = Path.Combine(_dir.Path, "data");
        var warm = await CliRunner.RunAsync("warm", "--data", data, "--presets", "grid", "--max-cache-size", budget.ToString(System.Globalization.CultureInfo.InvariantCulture), media);
        Assert.True(warm.ExitCode == 0, warm.Stderr);
        Assert.Contains("evicted ", warm.Stdout, StringComparison.Ordinal);
        Assert.Contains("warmed 8, skipped 0, failed 0", warm.Stdout, StringComparison.Ordinal);

        var status = await StatusAsync(data);
        var bytes = status.GetProperty("bytes").GetInt64();
        Assert.True(bytes <= budget * 0.9, $"{bytes} bytes left, budget {budget}");
        Assert.True(status.GetProperty("evictions").GetInt64() > 0);
        Assert.Equal(8 - status.GetProperty("evictions").GetInt64(), status.GetProperty("renditions").GetInt64());
        var files = Directory.GetFiles(Path.Combine(data, "renditions"), "*", SearchOption.AllDirectories);
        Assert.Equal(status.GetProperty("renditions").GetInt64(), files.Length);
    }

    private static async Task<JsonElement> StatusAsync(string data)
    {
        var status = await CliRunner.RunAsync("status", "--data", data, "--json");
        Assert.Equal(0, status.ExitCode);
        using var json = JsonDocument.Parse(status.Stdout);
        return json.RootElement.Clone();
    }
}
