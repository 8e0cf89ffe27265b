using Tessera.Core.Engine;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Pipeline;

/// <summary>Encoding:FastShrinkOnLoad: a large JPEG is decoded at 1/8 (or 1/4, 1/2) of its size where libvips'
/// thumbnail would decode at twice that, and comes out the same size, upright and in the same colours.</summary>
public sealed class FastShrinkOnLoadTests
{
    private static readonly Preset Grid = new("grid", 400, 400);
    private static readonly Thumbnailer Fast = new(new PipelineOptions());
    private static readonly Thumbnailer VipsShrink = new(new PipelineOptions { FastShrinkOnLoad = false });

    [Theory]
    [InlineData(1.0, 1, 1)]
    [InlineData(1.9, 1, 1)]
    [InlineData(2.0, 1, 1)] // exactly 2: the last resize keeps at least 1.05
    [InlineData(2.09, 1, 1)]
    [InlineData(2.1, 2, 1)]
    [InlineData(4.8, 4, 2)] // 1920 px into 400
    [InlineData(6.4, 4, 2)] // 2560 px into 400
    [InlineData(8.3, 4, 4)]
    [InlineData(8.5, 8, 4)]
    [InlineData(10.08, 8, 4)] // 4032 px into 400
    [InlineData(16.0, 8, 8)]
    [InlineData(40.0, 8, 8)]
    public void Fast_TakesTheLargestFactorThatLeavesTheBoxCovered(double needed, int fast, int vips)
    {
        Assert.Equal((fast, vips), (JpegShrink.Fast(needed), JpegShrink.Vips(needed)));
    }

    [Fact]
    public void Needed_IsOnTheUprightImage_AndNeverBelowOne()
    {
        var box = new ThumbnailBox(400, 200, IccToSrgb: false);
        Assert.Equal(4, JpegShrink.Needed(1600, 400, orientation: 1, box)); // 1600/400 wins over 400/200
        Assert.Equal(8, JpegShrink.Needed(1600, 400, orientation: 6, box)); // upright 400 x 1600: 1600/200
        Assert.Equal(1, JpegShrink.Needed(100, 50, orientation: 1, box));
    }

    [Fact]
    public void TheBox_AsksForTheFastFactor_OnlyForJpegs_AndOnlyWhenItDiffers()
    {
        SourceHeader Header(string loader, int w, int h, string interpretation = "srgb") => new(loader, w, h, h, interpretation, null);

        Assert.Equal(8, Fast.BoxFor(Grid, Header("jpegload", 4032, 3024)).JpegShrinkOnLoad);
        Assert.Equal(4, Fast.BoxFor(Grid, Header("jpegload_buffer", 2560, 1600)).JpegShrinkOnLoad);
        Assert.Equal(0, Fast.BoxFor(Grid, Header("jpegload", 6400, 6400)).JpegShrinkOnLoad); // 16: libvips takes 8 too
        Assert.Equal(0, Fast.BoxFor(Grid, Header("jpegload", 600, 400)).JpegShrinkOnLoad); // 1.5: no shrink either way
        Assert.Equal(0, Fast.BoxFor(Grid, Header("pngload", 4032, 3024)).JpegShrinkOnLoad);
        Assert.Equal(8, Fast.BoxFor(Grid, Header("jpegload", 4032, 3024, "cmyk")).JpegShrinkOnLoad); // on its own colour path
        Assert.Equal(0, VipsShrink.BoxFor(Grid, Header("jpegload", 4032, 3024)).JpegShrinkOnLoad);

        // A progressive JPEG is marked, so that at 1/8 its AC scans are not decoded (EighthScaleJpeg); a baseline one is not.
        Assert.True(Fast.BoxFor(Grid, Header("jpegload", 4032, 3024) with { Interlaced = true }).Progressive);
        Assert.False(Fast.BoxFor(Grid, Header("jpegload", 4032, 3024)).Progressive);
        Assert.False(VipsShrink.BoxFor(Grid, Header("jpegload", 4032, 3024) with { Interlaced = true }).Progressive);
    }

    /// <summary>A progressive corpus photo warmed at 1/8 through the lean stream gives the same thumbnail as libvips'
    /// decode of the whole file at 1/8 (the fast shrink, without the rewrite: the engine's own box, unmarked).</summary>
    [Fact]
    public async Task AProgressiveJpegAtOneEighth_IsTheSameThumbnail_AsTheWholeFilesDecode()
    {
        var path = Corpus.Path("photos/immich__book-beside-flowers.jpg");
        var header = Tessera.Core.Engine.VipsEngine.Probe(path);
        var box = Fast.BoxFor(Grid, header);
        Assert.Equal((8, true), (box.JpegShrinkOnLoad, box.Progressive));

        var before = Tessera.Core.Engine.VipsEngine.LeanOpens;
        var warmed = await Fast.FromFileAsync(path, Grid, OutputFormat.Png);
        Assert.True(Tessera.Core.Engine.VipsEngine.LeanOpens > before, "the warm went through the lean stream");
        var whole = Tessera.Core.Engine.VipsEngine.Thumbnail(path, box with { Progressive = false },
            new Tessera.Core.Engine.EncodeSettings(OutputFormat.Png, Grid.Quality, null), default);

        Assert.Equal(whole.Bytes, warmed.Bytes);
    }

    [Theory]
    [InlineData("photos/image-rs__scaledown_test.jpg", 400, 300)] // 4032 x 3024, ICC-tagged: 1/8 instead of 1/4
    [InlineData("photos/mate__Blinds.jpg", 400, 250)] // 1920 x 1200: 1/4 instead of 1/2
    [InlineData("exif/Landscape_6.jpg", 400, 267)] // 1200 x 1800 stored, Orientation 6: upright 4.5, 1/4 instead of 1/2
    public async Task AFastShrink_IsTheSamePicture(string file, int width, int height)
    {
        var path = Corpus.Path(file);
        var fast = await Fast.FromFileAsync(path, Grid, OutputFormat.Png);
        var vips = await VipsShrink.FromFileAsync(path, Grid, OutputFormat.Png);
        var fromBytes = await Fast.FromBufferAsync(await File.ReadAllBytesAsync(path), Grid, OutputFormat.Png);

        Assert.Equal((width, height), (fast.Width, fast.Height));
        Assert.Equal((width, height), (vips.Width, vips.Height));
        Assert.Equal(fast.Bytes, fromBytes.Bytes); // a file and its bytes take the same path
        Assert.NotEqual(fast.Bytes, vips.Bytes); // the other decode scale really was taken

        // Each decode is a sequential pipeline, read once.
        using var a = Decoded(fast.Bytes);
        using var b = Decoded(vips.Bytes);
        var cells = ImageDifference.CellMad(a, b); // colours and layout: rotated or shifted output would be far off
        using var a2 = Decoded(fast.Bytes);
        using var b2 = Decoded(vips.Bytes);
        var pixels = PixelMad(a2, b2); // fine detail: the block shrink keeps a little more of it
        Assert.True(cells < 1.5, $"8x8 cells differ by {cells:0.00} from libvips' own shrink");
        Assert.True(pixels < 4, $"pixels differ by {pixels:0.00} from libvips' own shrink");
    }

    private static VipsImage Decoded(byte[] png) => VipsImage.Thumbnail(png, new ThumbnailOptions(4096, 4096) { ExportProfile = null });

    private static double PixelMad(VipsImage a, VipsImage b)
    {
        Assert.Equal((a.Width, a.Height, a.Bands), (b.Width, b.Height, b.Bands));
        var (pa, pb) = (a.ToPixels(), b.ToPixels());
        long sum = 0;
        for (var i = 0; i < pa.Length; i++)
        {
            sum += Math.Abs(pa[i] - pb[i]);
        }

        return (double)sum / pa.Length;
    }
}
