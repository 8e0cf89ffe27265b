using Microsoft.Data.Sqlite;
using Tessera.Core;
using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Tests.Cli;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cache;

/// <summary>Issue 10 item 5: "missing" is a rendition key with no file, and the key hashes only what changes the
/// output (content, preset canonical string, pipeline version). Settings that do not change the output never make a
/// library render again; a changed preset renders again, lazily on request or by an explicit warm.</summary>
public sealed class SettingsVersionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void APresetsKey_DependsOnlyOnWhatChangesItsOutput()
    {
        static string Key(Preset preset, OutputFormat format) => RenditionKey.Compute("content", preset.CanonicalString(format)).Value;
        var grid = new Preset("grid", 400, 400);
        Assert.Equal(Key(grid, OutputFormat.WebP), Key(grid with { Name = "tile" }, OutputFormat.WebP));
        Assert.Equal(Key(grid, OutputFormat.WebP), Key(grid with { Format = OutputFormat.Auto }, OutputFormat.WebP)); // the resolved format counts
        Assert.Equal(Key(grid with { Quality = 80 }, OutputFormat.Png), Key(grid with { Quality = 30 }, OutputFormat.Png)); // PNG is lossless
        Assert.Equal("fit=inside;w=400;h=400;fmt=png;q=80;up=0", (grid with { Quality = 30 }).CanonicalString(OutputFormat.Png)); // as PNG keys always were

        Assert.NotEqual(Key(grid, OutputFormat.WebP), Key(grid with { Width = 420 }, OutputFormat.WebP));
        Assert.NotEqual(Key(grid, OutputFormat.WebP), Key(grid with { Quality = 70 }, OutputFormat.WebP));
        Assert.NotEqual(Key(grid, OutputFormat.WebP), Key(grid, OutputFormat.Jpeg));
        Assert.NotEqual(Key(grid, OutputFormat.WebP), RenditionKey.Compute("content", grid.CanonicalString(OutputFormat.WebP), pipelineVersion: 2).Value);
        Assert.NotEqual(RenditionKey.SettingsVersion(grid.CanonicalString(OutputFormat.WebP)), RenditionKey.SettingsVersion((grid with { Width = 420 }).CanonicalString(OutputFormat.WebP)));
    }

    [Fact]
    public async Task ASecondWarm_AfterChangesThatDoNotAffectOutput_GeneratesNothing_AndAChangedSizeGeneratesAgain()
    {
        var library = Directory.CreateDirectory(Path.Combine(_dir.Path, "lib")).FullName;
        Images.WriteSolidJpeg(Path.Combine(library, "a.jpg"), 900, 600, 200, 30, 30);
        Images.WriteSolidJpeg(Path.Combine(library, "b.jpg"), 600, 900, 30, 200, 30);
        var data = Path.Combine(_dir.Path, "data");

        var first = await WarmAsync(data, library, "grid,small", """
            { "Presets": { "grid": "400x400", "small": "100x100:png:80" }, "Cache": { "MaxSize": "2GB" } }
            """);
        Assert.Contains("warmed 4, skipped 0, failed 0", first, StringComparison.Ordinal);

        // A bigger cache, another preset, the same box under another name, a PNG quality (which PNG ignores) and other
        // sections: nothing an existing rendition is made from.
        var second = await WarmAsync(data, library, "grid,small,tile", """
            { "Presets": { "grid": "400x400", "small": "100x100:png:40", "tile": "400x400", "poster": "300x450" },
              "Cache": { "MaxSize": "3GB" }, "Remote": { "MaxSize": "5MB" } }
            """);
        Assert.Contains("warmed 0, skipped 6, failed 0", second, StringComparison.Ordinal);

        var resized = await WarmAsync(data, library, "grid", """{ "Presets": { "grid": "420x420" } }""");
        Assert.Contains("warmed 2, skipped 0, failed 0", resized, StringComparison.Ordinal);

        // Each row names the settings that made it.
        var version = (int w, OutputFormat f) => RenditionKey.SettingsVersion(new Preset("x", w, w).CanonicalString(f));
        Assert.Equal(new[] { version(100, OutputFormat.Png), version(400, OutputFormat.WebP), version(420, OutputFormat.WebP) }.Order(StringComparer.Ordinal), SettingsOf(data));
    }

    [Fact]
    public async Task AChangedPreset_RendersAgainLazily_OnTheNextRequest()
    {
        var source = Images.WriteSolidJpeg(Path.Combine(_dir.Path, "a.jpg"), 900, 600);
        var options = new TesseraOptions { DataPath = Path.Combine(_dir.Path, "data") };
        using (var cache = CacheServices.Open(options))
        {
            Assert.Equal(ThumbnailOutcome.Generated, (await cache.Service.GetAsync(source, new Preset("grid", 400, 400), OutputFormat.WebP, default)).Outcome);
        }

        using (var cache = CacheServices.Open(options))
        {
            Assert.Equal(ThumbnailOutcome.Hit, (await cache.Service.GetAsync(source, new Preset("tile", 400, 400), OutputFormat.WebP, default)).Outcome);
            var resized = await cache.Service.GetAsync(source, new Preset("grid", 420, 420), OutputFormat.WebP, default);
            Assert.Equal(ThumbnailOutcome.Generated, resized.Outcome);
            Assert.Equal(RenditionKey.SettingsVersion(new Preset("grid", 420, 420).CanonicalString(OutputFormat.WebP)),
                (await cache.Index.Renditions.GetRenditionCheckAsync(resized.Key!, default))!.Settings);
        }
    }

    private async Task<string> WarmAsync(string data, string library, string presets, string config)
    {
        var file = Path.Combine(_dir.Path, $"config-{Guid.NewGuid():n}.json");
        await File.WriteAllTextAsync(file, config);
        var (code, stdout, stderr) = await CliRunner.RunAsync("warm", "--config", file, "--data", data, "--presets", presets, library);
        Assert.True(code == 0, stderr);
        return stdout;
    }

    private static List<string> SettingsOf(string data)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "tessera.db")};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT DISTINCT settings FROM renditions WHERE settings IS NOT NULL";
        using var reader = cmd.ExecuteReader();
        var found = new List<string>();
        while (reader.Read())
        {
            found.Add(reader.GetString(0));
        }

        return [.. found.Order(StringComparer.Ordinal)];
    }
}
