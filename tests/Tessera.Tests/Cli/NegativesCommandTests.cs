using System.Text.Json;
using Tessera.Core.Presets;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

public sealed class NegativesCommandTests : IDisposable
{
    private readonly CacheFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Negatives_ListsByReasonAsJson_ClearsOneItemThenAll_AndRefusesUnknownReasons()
    {
        var grid = new Preset("grid", 400, 400);
        var missing = Path.Combine(_f.Library, "missing.jpg");
        var broken = Path.Combine(_f.Library, "broken.jpg");
        await File.WriteAllTextAsync(broken, "not a jpeg");
        await _f.Cache.Service.GetAsync(missing, grid, OutputFormat.WebP, default);
        await _f.Cache.Service.GetAsync(broken, grid, OutputFormat.WebP, default);

        var all = await CliRunner.RunAsync("negatives", "--data", _f.Data, "--json");
        Assert.True(all.ExitCode == 0, all.Stderr);
        using (var json = JsonDocument.Parse(all.Stdout))
        {
            var rows = json.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("item").GetString()!, e => e.GetProperty("reason").GetString());
            Assert.Equal("decode-failed", rows[broken]);
            Assert.Equal("not-found", rows[missing]);
            Assert.Equal(2, rows.Count);
        }

        var notFound = await CliRunner.RunAsync("negatives", "--data", _f.Data, "--reason", "not-found");
        Assert.Contains(missing, notFound.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(broken, notFound.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 negative entries", notFound.Stdout, StringComparison.Ordinal);

        var status = await CliRunner.RunAsync("status", "--data", _f.Data, "--json");
        using (var json = JsonDocument.Parse(status.Stdout))
        {
            Assert.Equal(1, json.RootElement.GetProperty("negativesByReason").GetProperty("decode-failed").GetInt64());
        }

        var bogus = await CliRunner.RunAsync("negatives", "clear", "--data", _f.Data, "--reason", "bogus");
        Assert.NotEqual(0, bogus.ExitCode);
        Assert.Contains("unknown reason", bogus.Stderr, StringComparison.Ordinal);

        var one = await CliRunner.RunAsync("negatives", "clear", "--data", _f.Data, "--item", broken);
        Assert.True(one.ExitCode == 0, one.Stderr);
        Assert.Contains("cleared 1", one.Stdout, StringComparison.Ordinal);
        var rest = await CliRunner.RunAsync("negatives", "clear", "--data", _f.Data);
        Assert.Contains("cleared 1", rest.Stdout, StringComparison.Ordinal);
        var empty = await CliRunner.RunAsync("negatives", "--data", _f.Data);
        Assert.Contains("0 negative entries", empty.Stdout, StringComparison.Ordinal);
    }
}
