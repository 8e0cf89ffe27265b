using Tessera.Core.Cache;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Pipeline;

/// <summary>The oversized output guard, through ThumbnailService: what is stored is never larger than the original
/// (past the floor) or Encoding:MaxRenditionSize, and every such rendition is counted.</summary>
public sealed class SizeGuardTests
{
    private static readonly Preset Huge = new("huge", 2000, 2000, OutputFormat.Png);
    private static readonly Preset Small = new("small", 100, 100);

    [Fact]
    public async Task PngPresetOfANoisyJpeg_LargerThanTheJpeg_IsRefused_ButOtherPresetsStillWork()
    {
        using var f = new CacheFixture();
        var jpeg = NoiseImages.Encoded(500, 500, ImageFormat.Jpeg, 75);
        var path = Path.Combine(f.Library, "noise.jpg");
        await File.WriteAllBytesAsync(path, jpeg);

        var refused = await f.Cache.Service.GetAsync(path, Huge, OutputFormat.Png, default);

        Assert.Equal(ThumbnailOutcome.Failed, refused.Outcome);
        Assert.Equal(FailureReason.TooLarge, refused.Failure);
        Assert.Contains($"original {jpeg.Length} bytes", refused.Detail, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(f.Data, "renditions")) && f.RenditionFiles().Length > 0, "nothing may be stored");
        Assert.Equal(1, (await f.Cache.StatsAsync(default)).Oversized);

        // Remembered by key: asked again, it is answered without another decode.
        var again = await f.Cache.Service.GetAsync(path, Huge, OutputFormat.Png, default);
        Assert.Equal((FailureReason.TooLarge, refused.Detail), (again.Failure, again.Detail));
        Assert.Equal(1, f.Cache.Service.Generations);

        // The refusal is the preset's, not the item's: no negative entry, a small preset is made at once.
        var small = await f.Cache.Service.GetAsync(path, Small, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Generated, small.Outcome);
        Assert.Single(f.RenditionFiles());
        Assert.Equal(1, (await f.Cache.StatsAsync(default)).Oversized);
    }

    [Fact]
    public async Task LossyRendition_OverTheByteCap_IsStoredAtALowerQuality_UnderTheCap()
    {
        const long cap = 40 * 1024;
        using var f = new CacheFixture(o => o.Pipeline.MaxRenditionBytes = cap);
        var path = Path.Combine(f.Library, "noise.png");
        await File.WriteAllBytesAsync(path, NoiseImages.Png(300, 300));
        var fine = new Preset("fine", 300, 300, OutputFormat.WebP, 90);

        var result = await f.Cache.Service.GetAsync(path, fine, OutputFormat.WebP, default);

        Assert.Equal(ThumbnailOutcome.Generated, result.Outcome);
        var stored = await File.ReadAllBytesAsync(f.Cache.Store.PathOf(result.Key, "webp"));
        Assert.InRange(stored.Length, 1, cap);
        Assert.Equal(result.Bytes, stored);
        Assert.Equal((300, 300, "webpload_buffer"), Header(stored));
        Assert.Equal(1, (await f.Cache.StatsAsync(default)).Oversized);
    }

    [Fact]
    public async Task LosslessRendition_OverTheByteCap_IsRefused()
    {
        using var f = new CacheFixture(o => o.Pipeline.MaxRenditionBytes = 40 * 1024);
        var path = Path.Combine(f.Library, "noise.png");
        await File.WriteAllBytesAsync(path, NoiseImages.Png(300, 300, seed: 2));
        var png = new Preset("png", 200, 200, OutputFormat.Png);

        var result = await f.Cache.Service.GetAsync(path, png, OutputFormat.Png, default);

        Assert.Equal(FailureReason.TooLarge, result.Failure);
        Assert.Contains("cap 40960", result.Detail, StringComparison.Ordinal);
        Assert.Equal(1, (await f.Cache.StatsAsync(default)).Oversized);
    }

    [Fact]
    public async Task WebPOriginalWithinTheBox_IsServedAsItsOwnStrippedBytes_WhenTheReencodeIsOverTheCap()
    {
        var original = NoiseImages.Encoded(600, 600, ImageFormat.WebP, 20); // ~140 KB; its q90 re-encode is about twice that
        using var f = new CacheFixture(o => o.Pipeline.MaxRenditionBytes = original.Length + 1);
        var path = Path.Combine(f.Library, "noise.webp");
        await File.WriteAllBytesAsync(path, original);
        var fine = new Preset("fine", 800, 800, OutputFormat.WebP, 90);

        var result = await f.Cache.Service.GetAsync(path, fine, OutputFormat.WebP, default);

        Assert.Equal(ThumbnailOutcome.Generated, result.Outcome);
        var stored = await File.ReadAllBytesAsync(f.Cache.Store.PathOf(result.Key, "webp"));
        Assert.Equal(MetadataStripper.Strip(original, OutputFormat.WebP), stored);
        Assert.True(stored.Length <= original.Length);
        Assert.Equal(1, (await f.Cache.StatsAsync(default)).Oversized);
    }

    [Fact]
    public async Task SmallRenditions_AreLeftAlone_AndNotCounted()
    {
        using var f = new CacheFixture();
        var path = Images.WriteSolidJpeg(Path.Combine(f.Library, "a.jpg"), 900, 600);

        var result = await f.Cache.Service.GetAsync(path, new Preset("grid", 400, 400, OutputFormat.Png), OutputFormat.Png, default);

        Assert.Equal(ThumbnailOutcome.Generated, result.Outcome);
        Assert.Equal((400, 267, "pngload_buffer"), Header(result.Bytes));
        Assert.Equal(0, (await f.Cache.StatsAsync(default)).Oversized);
    }

    private static (int Width, int Height, string Loader) Header(byte[] bytes)
    {
        var h = VipsImage.Probe(bytes);
        return (h.Width, h.Height, h.Loader);
    }
}
