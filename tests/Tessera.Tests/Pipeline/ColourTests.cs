using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Pipeline;

public sealed class ColourTests
{
    private static readonly Thumbnailer Pipeline = new(new PipelineOptions());
    private static readonly Preset Small = new("s", 64, 64);

    [Theory]
    [InlineData("formats/widegamut__P3-sRGB-color-bars.jpg")]
    [InlineData("formats/nico__IMG_9424.JPG")]
    [InlineData("formats/pillow__xmp_test.jpg")]
    public async Task WideGamutSources_AreTransformedToSrgb(string file)
    {
        var result = await Pipeline.FromFileAsync(Corpus.Path(file), Small, OutputFormat.Png);
        using var ours = VipsImage.Thumbnail(result.Bytes, new ThumbnailOptions(64, 64) { ExportProfile = null });
        using var managed = VipsImage.Thumbnail(Corpus.Path(file), new ThumbnailOptions(64, 64) { ExportProfile = "srgb" });
        // Each image is computed once: thumbnails are sequential pipelines.
        var (a, b) = (ours.Average(), managed.Average());
        Assert.True(Math.Abs(a - b) < 1.0, $"ours {a:0.00} vs an ICC transform {b:0.00}");
    }

    [Fact]
    public async Task ColourManagement_IsVisible_OnTheP3Bars()
    {
        // Control: without the ICC transform the P3 bars come out measurably different.
        var file = Corpus.Path("formats/widegamut__P3-sRGB-color-bars.jpg");
        using var raw = VipsImage.Thumbnail(file, new ThumbnailOptions(64, 64) { ExportProfile = null });
        var result = await Pipeline.FromFileAsync(file, Small, OutputFormat.Png);
        using var ours = VipsImage.Thumbnail(result.Bytes, new ThumbnailOptions(64, 64) { ExportProfile = null });
        Assert.True(Math.Abs(ours.Average() - raw.Average()) > 3.0);
    }

    [Theory]
    [InlineData("photos/image-rs__scaledown_test.jpg", true)]
    [InlineData("photos/sharp__Landscape_9.jpg", true)]
    [InlineData("formats/nico__IMG_9424.JPG", false)]
    [InlineData("formats/pillow__xmp_test.jpg", false)]
    [InlineData("formats/sharp__prophoto.png", false)]
    public void IsSrgb_ReadsTheProfileDescription(string file, bool srgb)
    {
        var icc = VipsImage.Probe(Corpus.Path(file)).IccProfile;
        Assert.NotNull(icc);
        Assert.Equal(srgb, IccProfiles.IsSrgb(icc));
    }

    [Fact]
    public void IsSrgb_OfGarbageOrTruncatedProfiles_IsFalse()
    {
        var icc = VipsImage.Probe(Corpus.Path("photos/image-rs__scaledown_test.jpg")).IccProfile!;
        Assert.False(IccProfiles.IsSrgb(icc.AsSpan(0, 140)));
        Assert.False(IccProfiles.IsSrgb(new byte[200]));
        Assert.False(IccProfiles.IsSrgb([]));
    }
}
