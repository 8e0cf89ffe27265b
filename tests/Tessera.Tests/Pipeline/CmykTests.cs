using Tessera.Core.Engine;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Pipeline;

/// <summary>CMYK (print-origin cover art, often without an ICC profile): the colours come back, not washed out.</summary>
public sealed class CmykTests
{
    private static readonly Thumbnailer Pipeline = new(new PipelineOptions());

    // libvips' own shrink-on-load, so that a plain thumbnail is the exact reference (FastShrinkOnLoadTests: the other).
    private static readonly Thumbnailer VipsShrinkPipeline = new(new PipelineOptions { FastShrinkOnLoad = false });
    private static readonly Preset Small = new("s", 64, 64);
    private static readonly (byte R, byte G, byte B) Black = (20, 20, 20);
    private static readonly (byte R, byte G, byte B) Red = (200, 40, 40);

    [Fact]
    public async Task UntaggedCmyk_ComesBackNearItsSrgbColours()
    {
        var jpeg = CmykImages.Jpeg(256, 128, Black, Red);
        var header = VipsImage.Probe(jpeg);
        Assert.Equal("cmyk", header.Interpretation);
        Assert.Null(header.IccProfile);
        Assert.True(CmykImages.HasAdobeMarker(jpeg), "the fixture should be Adobe (inverted) CMYK");

        var result = await Pipeline.FromBufferAsync(jpeg, Small, OutputFormat.Png);

        Assert.Equal((64, 32), (result.Width, result.Height));
        var (left, right) = Halves(result.Bytes, vertical: false);
        AssertNear(Black, left, "black half");
        AssertNear(Red, right, "red half");

        // Control: libvips 8.14's own thumbnail imports without black point compensation; its black is a washed-out
        // grey that this check rejects (a libvips that compensates would fail here: then the own path can go).
        using var plain = VipsImage.Thumbnail(jpeg, new ThumbnailOptions(64, 64));
        var (plainLeft, _) = Halves(plain.Save(new SaveOptions(ImageFormat.Png)), vertical: false);
        Assert.True(Distance(Black, plainLeft) > 15, $"libvips' thumbnail gave {plainLeft} for {Black}");
    }

    [Fact]
    public async Task UntaggedCmyk_WithExifOrientation_IsUpright()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "cover.jpg");
        // Orientation 6: turn 90° clockwise to show, so the stored left half (black) ends up on top.
        await File.WriteAllBytesAsync(path, CmykImages.Jpeg(400, 200, Black, Red, orientation: 6));
        Assert.Equal(6, VipsImage.Probe(path).Orientation);

        var result = await Pipeline.FromFileAsync(path, Small, OutputFormat.Png);

        Assert.Equal((32, 64), (result.Width, result.Height));
        var (top, bottom) = Halves(result.Bytes, vertical: true);
        AssertNear(Black, top, "top half");
        AssertNear(Red, bottom, "bottom half");
    }

    [Theory]
    [InlineData(64, 8)] // 32 times too large: 1/8 either way
    [InlineData(200, 8)] // 10.24 times: 1/8 with the fast shrink-on-load (libvips' own rule would take 1/4)
    public async Task LargeUntaggedCmyk_ShrinksOnLoad_AndKeepsItsColours(int side, int shrink)
    {
        // 2048 px across: the JPEG is decoded at 1/8 before the colour transform.
        var preset = new Preset("s", side, side);
        var jpeg = CmykImages.Jpeg(2048, 1024, Black, Red);
        var box = Pipeline.BoxFor(preset, VipsEngine.Probe(jpeg));
        Assert.Equal(shrink, box.JpegShrinkOnLoad > 0 ? box.JpegShrinkOnLoad : JpegShrink.Vips(JpegShrink.Needed(2048, 1024, 1, box)));

        var result = await Pipeline.FromBufferAsync(jpeg, preset, OutputFormat.Png);

        Assert.Equal((side, side / 2), (result.Width, result.Height));
        var (left, right) = Halves(result.Bytes, vertical: false);
        AssertNear(Black, left, "black half");
        AssertNear(Red, right, "red half");
    }

    [Fact]
    public async Task CmykWithProfile_IsConvertedByItsProfile_Perceptually()
    {
        // A SWOP-profiled photo. libvips 8.14's thumbnail uses the relative intent whatever it is asked, and clips the
        // shadows the profile's perceptual tables keep (7.8/255 from sharp in bench/pixels).
        var file = Corpus.Path("formats/sharp__Channel_digital_image_CMYK_color.jpg");
        Assert.NotNull(VipsImage.Probe(file).IccProfile);
        var result = await Pipeline.FromFileAsync(file, new Preset("grid", 400, 400), OutputFormat.Png); // 500 px: no shrink on load
        // Thumbnails are sequential pipelines, computed once each: one decode of ours per comparison.
        using var ours = VipsImage.Thumbnail(result.Bytes, new ThumbnailOptions(400, 400) { ExportProfile = null });
        using var oursAgain = VipsImage.Thumbnail(result.Bytes, new ThumbnailOptions(400, 400) { ExportProfile = null });

        // The reference: the whole image through its profile, perceptual, then shrunk.
        using var open = VipsImage.Open(file);
        using var srgb = open.IccTransform("srgb", "cmyk");
        using var reference = srgb.ThumbnailImage(new ThumbnailOptions(400, 400) { ExportProfile = null });
        using var relative = VipsImage.Thumbnail(file, new ThumbnailOptions(400, 400));

        var (toReference, toRelative) = (ImageDifference.CellMad(ours, reference), ImageDifference.CellMad(oursAgain, relative));
        Assert.True(toReference < 1, $"{toReference:0.0} from the perceptual transform");
        Assert.True(toRelative > 3, $"only {toRelative:0.0} from libvips' relative one");
    }

    [Theory]
    [InlineData("photos/sharp__Landscape_9.jpg")] // sRGB-tagged
    [InlineData("photos/mate__Storm.jpg")]
    public async Task OrdinarySrgbJpeg_IsPixelForPixelThePlainThumbnail(string file)
    {
        // The fast path: no colour transform, so exactly libvips' thumbnail without colour management.
        var result = await VipsShrinkPipeline.FromFileAsync(Corpus.Path(file), Small, OutputFormat.Png);
        using var ours = VipsImage.Thumbnail(result.Bytes, new ThumbnailOptions(64, 64) { ExportProfile = null });
        using var plain = VipsImage.Thumbnail(Corpus.Path(file), new ThumbnailOptions(64, 64) { ExportProfile = null });

        Assert.Equal((plain.Width, plain.Height), (ours.Width, ours.Height));
        Assert.Equal(plain.ToPixels(), ours.ToPixels());
    }

    /// <summary>The mean RGB of the two halves of an encoded image, leaving out a quarter on each side of the split.</summary>
    private static ((double R, double G, double B) First, (double R, double G, double B) Second) Halves(byte[] encoded, bool vertical)
    {
        using var image = VipsImage.Thumbnail(encoded, new ThumbnailOptions(4096, 4096) { ExportProfile = null });
        Assert.Equal(3, image.Bands);
        var pixels = image.ToPixels();
        var (w, h) = (image.Width, image.Height);
        var along = vertical ? h : w;
        return (Mean(pixels, w, h, vertical, 0, along / 4), Mean(pixels, w, h, vertical, along * 3 / 4, along));
    }

    private static (double R, double G, double B) Mean(byte[] pixels, int w, int h, bool vertical, int from, int to)
    {
        double r = 0, g = 0, b = 0;
        var n = 0;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var at = vertical ? y : x;
                if (at < from || at >= to)
                {
                    continue;
                }

                var i = ((y * w) + x) * 3;
                (r, g, b, n) = (r + pixels[i], g + pixels[i + 1], b + pixels[i + 2], n + 1);
            }
        }

        return (r / n, g / n, b / n);
    }

    private static double Distance((byte R, byte G, byte B) expected, (double R, double G, double B) actual) =>
        (Math.Abs(expected.R - actual.R) + Math.Abs(expected.G - actual.G) + Math.Abs(expected.B - actual.B)) / 3;

    private static void AssertNear((byte R, byte G, byte B) expected, (double R, double G, double B) actual, string what) =>
        Assert.True(Distance(expected, actual) < 10, $"{what}: {actual} for {expected} (mean absolute difference {Distance(expected, actual):0.0})");
}
