using Tessera.Core.Engine;
using Tessera.Core.Presets;
using Tessera.Tests.Support;

namespace Tessera.Tests.Engine;

public sealed class VipsEngineTests
{
    private static readonly ThumbnailBox Box = new(100, 100, IccToSrgb: false);

    [Theory]
    [InlineData(OutputFormat.WebP)]
    [InlineData(OutputFormat.Jpeg)]
    [InlineData(OutputFormat.Png)]
    [InlineData(OutputFormat.Avif)]
    public void EveryOutputFormat_ReadsBackAsItself(OutputFormat format)
    {
        var bytes = VipsEngine.Solid(24, 16, [200, 100, 50], new EncodeSettings(format, 70, null));
        var header = VipsEngine.Probe(bytes);
        Assert.Equal((format, 24, 16), (VipsEngine.FormatOf(header), header.Width, header.Height));
    }

    [Fact]
    public void TheEngine_RunsLiborc_UnlessVipsNovectorSaysNot()
    {
        _ = VipsEngine.Version; // starts the engine with its policy
        var off = Environment.GetEnvironmentVariable("VIPS_NOVECTOR") is { Length: > 0 };
        Assert.Equal(!off, Tessera.Vips.VipsRuntime.VectorEnabled); // compiled and freed under VectorGate
    }

    [Fact]
    public void Solid_OfAnUnresolvedFormat_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VipsEngine.Solid(8, 8, [1], new EncodeSettings(OutputFormat.Auto, 70, null)));
    }

    [Fact]
    public void Thumbnail_FitsTheBox_AndReportsItsSize()
    {
        var (bytes, width, height) = VipsEngine.Thumbnail(Corpus.Path("exif/Landscape_6.jpg"), Box, new EncodeSettings(OutputFormat.Png, 80, null), default);
        Assert.Equal((100, 67), (width, height)); // stored 1200x1800 with Orientation 6: upright it is landscape
        Assert.Equal(OutputFormat.Png, VipsEngine.FormatOf(VipsEngine.Probe(bytes)));
    }

    [Fact]
    public void Thumbnail_WithAKilledToken_FailsInsteadOfEncoding()
    {
        using var killed = new CancellationTokenSource();
        killed.Cancel();
        var e = Assert.Throws<EngineException>(() =>
            VipsEngine.Thumbnail(Images.SolidJpeg(400, 300, 1, 2, 3), Box, new EncodeSettings(OutputFormat.WebP, 80, null), killed.Token));
        Assert.IsType<Tessera.Vips.VipsException>(e.InnerException);
    }

    [Fact]
    public void UntrustedLoaders_AreBlocked_SvgRendersOnlyFromSanitisedBytes()
    {
        // PDF from bytes (a remote source) is refused; a library's PDF file may use its loader. SVG goes the other
        // way: the file loader is blocked so nothing reaches librsvg unsanitised, and the sanitiser hands over bytes.
        var pdf = Corpus.Path("formats/debian-refcard__refcard-en-a4.pdf");
        var fromBytes = Assert.Throws<EngineException>(() => VipsEngine.Probe(File.ReadAllBytes(pdf)));
        Assert.Contains("blocked", fromBytes.Message, StringComparison.Ordinal);
        Assert.Equal("pdfload", VipsEngine.Probe(pdf).Loader);
        var fromFile = Assert.Throws<EngineException>(() => VipsEngine.Probe(Corpus.Path("formats/sharp__circle.svg")));
        Assert.Contains("blocked", fromFile.Message, StringComparison.Ordinal);
        var svg = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect width='10' height='10'/></svg>"u8.ToArray();
        Assert.Equal("svgload_buffer", VipsEngine.Probe(svg).Loader);
    }

    [Fact]
    public void Probe_OfUnknownBytes_ThrowsEngineException()
    {
        Assert.Throws<EngineException>(() => VipsEngine.Probe("not an image at all"u8.ToArray()));
    }

    [Fact]
    public void Thumbnail_HandsBackItsPixels_ShrunkForThePreview()
    {
        var rendered = VipsEngine.Thumbnail(Images.SolidJpeg(400, 300, 200, 100, 50), new ThumbnailBox(400, 400, IccToSrgb: false),
            new EncodeSettings(OutputFormat.WebP, 80, null), default);
        var small = Assert.IsType<SmallImage>(rendered.Small);
        Assert.Equal((100, 75), (small.Width, small.Height));
        for (var i = 0; i < small.Width * small.Height; i++)
        {
            Assert.InRange(small.Rgba[i * 4], 196, 204); // JPEG's rounding, not the preview's
            Assert.InRange(small.Rgba[(i * 4) + 1], 96, 104);
            Assert.InRange(small.Rgba[(i * 4) + 2], 46, 54);
            Assert.Equal(255, small.Rgba[(i * 4) + 3]);
        }
    }

    [Fact]
    public void Thumbnails_MadeInParallel_AreTheBytesMadeOneByOne()
    {
        // liborc compiles each resize's passes when the pipeline is built and frees them when it is released: under
        // VectorGate, one at a time. Threads building and releasing pipelines at once must not disturb each other.
        var photos = Corpus.Files("photos").Where(p => p.EndsWith(".jpg", StringComparison.Ordinal)).Take(6).ToArray();
        var encode = new EncodeSettings(OutputFormat.Png, 80, null);
        var box = new ThumbnailBox(150, 150, IccToSrgb: false);
        var alone = photos.Select(p => VipsEngine.Thumbnail(p, box, encode, default).Bytes).ToArray();
        var together = new byte[4 * photos.Length][];
        Parallel.For(0, together.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => together[i] = VipsEngine.Thumbnail(photos[i % photos.Length], box, encode, default).Bytes);
        for (var i = 0; i < together.Length; i++)
        {
            Assert.Equal(alone[i % photos.Length], together[i]);
        }
    }
}
