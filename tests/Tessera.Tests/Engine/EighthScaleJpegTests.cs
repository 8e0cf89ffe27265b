using Tessera.Core.Engine;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Engine;

/// <summary>A progressive JPEG decoded at 1/8 through <see cref="EighthScaleJpeg"/> gives libjpeg's own 1/8 decode of the
/// whole file, pixel for pixel, from a stream without the AC scans that scale never reads.</summary>
public sealed class EighthScaleJpegTests
{
    [Theory]
    [InlineData("photos/immich__book-beside-flowers.jpg")] // 4:2:0: the chroma is decoded 2 × 2, so its AC scans stay
    [InlineData("photos/immich__handwritten-notes.jpg")]
    [InlineData("photos/plasma__ColorfulCups_2560x1600.jpg")] // 4:2:2: every component from DC alone
    public void CorpusProgressiveJpegs_DecodeAtOneEighth_ExactlyAsTheWholeFile(string original)
    {
        var bytes = File.ReadAllBytes(Corpus.Path(original));
        var lean = EighthScaleJpeg.Rewrite(bytes);

        Assert.NotNull(lean);
        Assert.True(lean.Length < bytes.Length / 3, $"{lean.Length} of {bytes.Length} bytes kept");
        AssertSamePixels(bytes, lean);
    }

    [Theory]
    [InlineData("on", 0)] // 4:2:0
    [InlineData("off", 0)] // 4:4:4
    [InlineData("on", 3)] // restart markers every 3 MCUs inside the scans that stay
    public void GeneratedProgressiveJpegs_DecodeAtOneEighth_ExactlyAsTheWholeFile(string subsample, int restartInterval)
    {
        var bytes = Progressive(Corpus.Path("photos/mate__Wood.jpg"), subsample, restartInterval, grey: false);

        AssertSamePixels(bytes, EighthScaleJpeg.Rewrite(bytes) ?? throw new InvalidOperationException("not rewritten"));
    }

    [Fact]
    public void AGreyProgressiveJpeg_KeepsItsDcScanOnly()
    {
        var bytes = Progressive(Corpus.Path("photos/mate__Wood.jpg"), "off", 0, grey: true);
        var lean = EighthScaleJpeg.Rewrite(bytes)!;

        Assert.True(lean.Length < bytes.Length / 3, $"{lean.Length} of {bytes.Length} bytes kept");
        AssertSamePixels(bytes, lean);
    }

    [Fact]
    public void BaselineCutOrForeignStreams_AreLeftAlone()
    {
        var baseline = File.ReadAllBytes(Corpus.Path("photos/mate__Wood.jpg"));
        var progressive = File.ReadAllBytes(Corpus.Path("photos/immich__handwritten-notes.jpg"));

        Assert.Null(EighthScaleJpeg.Rewrite(baseline)); // nothing to drop: decoded as it is
        Assert.Null(EighthScaleJpeg.Rewrite(progressive.AsSpan(0, progressive.Length / 2))); // no EOI: libvips reports the cut file
        Assert.Null(EighthScaleJpeg.Rewrite(progressive.AsSpan(0, 2)));
        Assert.Null(EighthScaleJpeg.Rewrite(File.ReadAllBytes(Corpus.Path("formats/pngsuite__basn6a08.png"))));
        Assert.Null(EighthScaleJpeg.Rewrite([]));
    }

    /// <summary>Remote bytes reach the rewrite too: damaged streams (bytes changed, cut, segments lengthened) give a
    /// stream or null, never an exception.</summary>
    [Fact]
    public void DamagedStreams_NeverThrow()
    {
        var original = File.ReadAllBytes(Corpus.Path("photos/immich__handwritten-notes.jpg"));
        var random = new Random(1234);
        for (var i = 0; i < 3000; i++)
        {
            var damaged = (byte[])original.Clone();
            var head = Math.Min(damaged.Length, 4096); // the headers and the first scans, where the parser's choices are
            for (var n = random.Next(1, 8); n > 0; n--)
            {
                damaged[random.Next(i % 2 == 0 ? head : damaged.Length)] = (byte)random.Next(256);
            }

            var cut = damaged.AsSpan(0, random.Next(1, damaged.Length + 1));
            _ = EighthScaleJpeg.Rewrite(cut);
            _ = EighthScaleJpeg.Rewrite(damaged);
        }
    }

    /// <summary>Through the engine: a progressive JPEG thumbnailed at a fast shrink-on-load of 8 gives the same bytes
    /// with the lean stream as without it (the box's Progressive flag), from a file and from bytes.</summary>
    [Fact]
    public void TheEngine_GivesTheSameThumbnail_WithAndWithoutTheLeanStream()
    {
        var path = Corpus.Path("photos/immich__book-beside-flowers.jpg");
        var box = new ThumbnailBox(200, 200, IccToSrgb: true) { JpegShrinkOnLoad = 8 };
        var encode = new EncodeSettings(OutputFormat.WebP, 80, 2);

        var plain = VipsEngine.Thumbnail(path, box, encode, default);
        var before = VipsEngine.LeanOpens;
        var lean = VipsEngine.Thumbnail(path, box with { Progressive = true }, encode, default);
        var fromBytes = VipsEngine.Thumbnail(File.ReadAllBytes(path), box with { Progressive = true }, encode, default);

        Assert.True(VipsEngine.LeanOpens >= before + 2, "both went through the lean stream");
        Assert.Equal((plain.Width, plain.Height), (lean.Width, lean.Height));
        Assert.Equal(plain.Bytes, lean.Bytes);
        Assert.Equal(plain.Bytes, fromBytes.Bytes);
    }

    private static void AssertSamePixels(byte[] whole, byte[] lean)
    {
        var expected = Pixels(whole);
        var actual = Pixels(lean);
        Assert.Equal((expected.Width, expected.Height, expected.Bands), (actual.Width, actual.Height, actual.Bands));
        Assert.True(expected.Pixels.AsSpan().SequenceEqual(actual.Pixels), "the 1/8 decodes differ");
    }

    private static (int Width, int Height, int Bands, byte[] Pixels) Pixels(byte[] jpeg)
    {
        using var image = VipsImage.Open(jpeg, 8);
        using var memory = image.CopyMemory();
        return (memory.Width, memory.Height, memory.Bands, memory.ReadPixels(span => span.ToArray()));
    }

    /// <summary>A progressive JPEG from libvips' own encoder (libjpeg's standard progression script).</summary>
    private static byte[] Progressive(string source, string subsample, int restartInterval, bool grey)
    {
        using var image = VipsImage.Open(source);
        using var converted = grey ? image.Colourspace("b-w") : null;
        using var op = VipsOperation.Create("jpegsave_buffer");
        op.Set("in", converted ?? image).Set("Q", 85).Set("interlace", true).Set("subsample_mode", subsample);
        if (restartInterval > 0)
        {
            op.Set("restart_interval", restartInterval);
        }

        op.Build();
        return op.GetBlob("buffer");
    }
}
