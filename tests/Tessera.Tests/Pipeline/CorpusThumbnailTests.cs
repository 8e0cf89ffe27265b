using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Pipeline;

/// <summary>Every still image in the corpus: a thumbnail inside its box, upright, sRGB, metadata-free.</summary>
public sealed class CorpusThumbnailTests
{
    private static readonly string[] NotStill = [".mp4", ".mkv", ".mov", ".mp3", ".aac"];

    /// <summary>Files Debian's libvips 8.14 cannot decode: they must fail cleanly, with a reason.</summary>
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["formats/nico__12-bit.jpg"] = "12-bit JPEG",
        ["formats/sharp__testimgl.jpg"] = "lossless JPEG (SOF3)",
        ["formats/pillow__star.avifs"] = "AVIF image sequence: libheif 1.15 reads none, and the ImageMagick fallback is blocked as untrusted",
    };

    private static readonly Thumbnailer Pipeline = new(new PipelineOptions());
    private static readonly Preset Grid = new("grid", 400, 400);

    public static TheoryData<string> StillImages()
    {
        var data = new TheoryData<string>();
        foreach (var group in new[] { "photos", "exif", "formats" })
        {
            foreach (var f in Corpus.Files(group).Where(f => !NotStill.Contains(Path.GetExtension(f).ToLowerInvariant())))
            {
                data.Add(Path.GetRelativePath(Corpus.Root, f));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StillImages))]
    public async Task StillImage_BecomesAnUprightSrgbMetadataFreeThumbnail(string file)
    {
        var path = Corpus.Path(file);
        if (Unsupported.TryGetValue(file, out var why))
        {
            var e = await Assert.ThrowsAsync<ThumbnailException>(() => Pipeline.FromFileAsync(path, Grid, OutputFormat.WebP));
            Assert.Equal(FailureReason.DecodeFailed, e.Reason);
            Assert.False(string.IsNullOrWhiteSpace(e.Message), why);
            return;
        }

        // The SVG file loader is blocked: SVG reaches libvips only as sanitised bytes.
        var source = Path.GetExtension(path) is ".svg" or ".svgz" ? VipsImage.Probe(SvgSource.ReadSanitized(path)) : VipsImage.Probe(path);
        var result = await Pipeline.FromFileAsync(path, Grid, OutputFormat.WebP);

        Assert.InRange(result.Width, 1, 400);
        Assert.InRange(result.Height, 1, 400);

        // Upright: orientations 5–8 swap the stored width and height. HEIF loaders apply irot themselves and
        // report orientation 1, so a HEIC/AVIF is never rotated twice.
        var (w, h) = source.Orientation is >= 5 and <= 8 ? (source.PageHeight, source.Width) : (source.Width, source.PageHeight);
        Assert.True(Math.Abs(((double)result.Width / result.Height) - ((double)w / h)) < 0.05 * w / h + 2.0 / Math.Min(result.Width, result.Height),
            $"{result.Width}x{result.Height} is not the shape of upright {w}x{h} (orientation {source.Orientation})");

        // Fit inside, never upscale: one side touches the box unless the source is smaller.
        Assert.True(result.Width == 400 || result.Height == 400 || (result.Width == w && result.Height == h),
            $"{result.Width}x{result.Height} neither fills the 400 box nor keeps the source's {w}x{h}");

        using var decoded = VipsImage.Thumbnail(result.Bytes, new ThumbnailOptions(4000, 4000) { ExportProfile = "srgb" });
        Assert.Equal("srgb", decoded.Interpretation);
        Assert.Equal("uchar", decoded.BandFormat);
        Assert.Empty(Images.MetadataMarkers(result.Bytes));
    }

    [Theory]
    [InlineData("Landscape")]
    [InlineData("Portrait")]
    public async Task ExifOrientations_AllLookLikeTheUnrotatedOriginal(string set)
    {
        var reference = await Pixels($"exif/{set}_1.jpg");
        foreach (var file in Corpus.Files("exif").Where(f => Path.GetFileName(f).StartsWith(set + "_", StringComparison.Ordinal)))
        {
            var pixels = await Pixels(Path.GetRelativePath(Corpus.Root, file));
            Assert.Equal(reference.Length, pixels.Length);
            var diff = MeanAbsDiff(reference, pixels);
            Assert.True(diff < 12, $"{Path.GetFileName(file)} differs from {set}_1 by {diff:0.0} per channel: not upright");
        }

        // Control: the same image turned upside down is far from the reference, so the check can fail.
        var flipped = reference.Chunk(3).Reverse().SelectMany(p => p).ToArray();
        Assert.True(MeanAbsDiff(reference, flipped) > 30);
    }

    [Fact]
    public async Task Heic_WithIrot_IsRotatedOnce()
    {
        // libheif applies irot while decoding; a second EXIF rotation would make this iPhone photo portrait.
        var result = await Pipeline.FromFileAsync(Corpus.Path("formats/immich__IMG_2682.heic"), Grid, OutputFormat.WebP);
        Assert.Equal((400, 300), (result.Width, result.Height));
        var avif = await Pipeline.FromFileAsync(Corpus.Path("exif/libvips__avif-orientation-6.avif"), Grid, OutputFormat.WebP);
        Assert.Equal((300, 400), (avif.Width, avif.Height));
    }

    [Theory]
    [InlineData(OutputFormat.WebP)]
    [InlineData(OutputFormat.Jpeg)]
    [InlineData(OutputFormat.Png)]
    [InlineData(OutputFormat.Avif)]
    public async Task EveryOutputFormat_IsMetadataFree_EvenFromAPhotoFullOfIt(OutputFormat format)
    {
        // Landscape_9 carries EXIF, IPTC and XMP; the HMD phone photo carries GPS.
        foreach (var file in new[] { "photos/sharp__Landscape_9.jpg", "photos/ianare__HMD_Nokia_8.3_5G.jpg", "formats/nico__IMG_9424.JPG" })
        {
            var result = await Pipeline.FromFileAsync(Corpus.Path(file), Grid, format);
            Assert.Empty(Images.MetadataMarkers(result.Bytes));
            Assert.Equal(Formats.Extension(format) switch { "jpg" => "jpegload_buffer", "avif" => "heifload_buffer", var e => e + "load_buffer" },
                VipsImage.Probe(result.Bytes).Loader);
        }
    }

    [Fact]
    public async Task AlphaIsKept_ForPngAndWebP_AndFlattenedForJpeg()
    {
        var path = Corpus.Path("formats/sharp__5_webp_a.webp");
        Assert.Equal(4, VipsImage.Probe((await Pipeline.FromFileAsync(path, Grid, OutputFormat.Png)).Bytes).Bands);
        Assert.Equal(4, VipsImage.Probe((await Pipeline.FromFileAsync(path, Grid, OutputFormat.WebP)).Bytes).Bands);
        Assert.Equal(3, VipsImage.Probe((await Pipeline.FromFileAsync(path, Grid, OutputFormat.Jpeg)).Bytes).Bands);
    }

    [Fact]
    public async Task Animation_UsesTheFirstFrameOnly()
    {
        var result = await Pipeline.FromFileAsync(Corpus.Path("formats/wuffs__gifplayer-muybridge.gif"), Grid, OutputFormat.WebP);
        var header = VipsImage.Probe(result.Bytes);
        Assert.Equal(1, header.Pages);
        Assert.Equal(header.Height, header.PageHeight);
        Assert.Equal((400, 253), (result.Width, result.Height));
    }

    private static async Task<byte[]> Pixels(string file)
    {
        var result = await Pipeline.FromFileAsync(Corpus.Path(file), new Preset("thumb", 150, 150), OutputFormat.Png);
        using var img = VipsImage.Thumbnail(result.Bytes, new ThumbnailOptions(150, 150));
        using var rgb = img.Bands == 3 ? img.WithoutMetadata() : img.Flatten(0, 0, 0);
        return rgb.ToPixels();
    }

    private static double MeanAbsDiff(byte[] a, byte[] b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return (double)sum / a.Length;
    }
}
