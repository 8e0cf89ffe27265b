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
    public void TheEngine_RunsLibvipsWithoutLiborc()
    {
        _ = VipsEngine.Version; // starts the engine with its policy
        Assert.False(Tessera.Vips.VipsRuntime.VectorEnabled); // liborc crashed 10,000-image warms (see VipsEngine)
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
}
