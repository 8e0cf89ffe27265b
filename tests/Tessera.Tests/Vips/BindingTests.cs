using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Vips;

public sealed class BindingTests
{
    [Fact]
    public void Runtime_Starts_AndReportsDebianLibvips()
    {
        Assert.StartsWith("8.", VipsRuntime.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_ReadsHeader_WithoutDecodingPixels()
    {
        // 99.6 MP: decoding it would take hundreds of MB; a header read takes none.
        var before = VipsDiagnostics.TrackedBytes;
        var header = VipsImage.Probe(Corpus.Path("malformed/thumbor__9643x10328.jpg"));
        Assert.Equal(("jpegload", 9643, 10328, 1), (header.Loader, header.Width, header.Height, header.Pages));
        Assert.True(VipsDiagnostics.TrackedBytes - before < 16 * 1024 * 1024);
    }

    [Fact]
    public void Probe_ReportsPagesAndOrientation()
    {
        var gif = VipsImage.Probe(Corpus.Path("formats/wuffs__gifplayer-muybridge.gif"));
        Assert.Equal(("gifload", 472, 298, 380), (gif.Loader, gif.Width, gif.PageHeight, gif.Pages));
        Assert.Equal(6, VipsImage.Probe(Corpus.Path("exif/Landscape_6.jpg")).Orientation);
    }

    [Fact]
    public void Probe_NamesJpegPngAndWebPByTheirBytes_AndAsksLibvipsForTheRest()
    {
        using var dir = new TempDir();
        string Write(string name, byte[] bytes)
        {
            var path = Path.Combine(dir.Path, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        // Content decides, not the name (a JPEG called .png, a PNG with brackets in its name).
        Assert.Equal("jpegload", VipsImage.Probe(Write("photo.png", Images.SolidJpeg(40, 30, 1, 2, 3))).Loader);
        using (var solid = VipsImage.Thumbnail(Images.SolidJpeg(40, 30, 1, 2, 3), new ThumbnailOptions(40, 40)))
        {
            Assert.Equal("pngload", VipsImage.Probe(Write("a [1].jpg", solid.Save(new SaveOptions(ImageFormat.Png)))).Loader);
        }

        using (var solid = VipsImage.Thumbnail(Images.SolidJpeg(40, 30, 1, 2, 3), new ThumbnailOptions(40, 40)))
        {
            Assert.Equal("webpload", VipsImage.Probe(Write("w", solid.Save(new SaveOptions(ImageFormat.WebP)))).Loader);
        }

        Assert.Equal("gifload", VipsImage.Probe(Corpus.Path("formats/wuffs__gifplayer-muybridge.gif")).Loader); // libvips' lookup
        var cut = Images.SolidJpeg(400, 300, 1, 2, 3)[..40]; // JPEG bytes, cut inside the header
        Assert.Throws<VipsException>(() => VipsImage.Probe(Write("cut.jpg", cut)));
        Assert.Throws<VipsException>(() => VipsImage.Probe(Write("empty.jpg", [])));
    }

    [Fact]
    public void Probe_OfBuffer_FindsTheLoader()
    {
        var bytes = Images.SolidJpeg(64, 32, 10, 20, 30);
        var header = VipsImage.Probe(bytes);
        Assert.Equal(("jpegload_buffer", 64, 32), (header.Loader, header.Width, header.Height));
    }

    [Fact]
    public void Probe_OfUnknownBytes_ThrowsWithLibvipsText()
    {
        var e = Assert.Throws<VipsException>(() => VipsImage.Probe("not an image at all"u8.ToArray()));
        Assert.Contains("not a known", e.Message, StringComparison.Ordinal);
        var f = Assert.Throws<VipsException>(() => VipsImage.Probe(Corpus.Path("malformed/wuffs__0.bytes")));
        Assert.Contains("is not a known file format", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Thumbnail_FromFile_FitsInsideTheBox_AndAutoRotates()
    {
        using var t = VipsImage.Thumbnail(Corpus.Path("exif/Landscape_6.jpg"), new ThumbnailOptions(400, 400));
        // Stored 1200x1800 with Orientation 6: upright it is landscape.
        Assert.Equal((400, 267), (t.Width, t.Height));
    }

    [Fact]
    public void Thumbnail_NeverUpscales()
    {
        using var t = VipsImage.Thumbnail(Images.SolidJpeg(40, 20, 1, 2, 3), new ThumbnailOptions(400, 400));
        Assert.Equal((40, 20), (t.Width, t.Height));
    }

    [Theory]
    [InlineData(ImageFormat.WebP, "webpload_buffer")]
    [InlineData(ImageFormat.Jpeg, "jpegload_buffer")]
    [InlineData(ImageFormat.Png, "pngload_buffer")]
    [InlineData(ImageFormat.Avif, "heifload_buffer")]
    public void Save_EachFormat_RoundTrips(ImageFormat format, string loader)
    {
        using var img = VipsImage.Solid(120, 80, 250, 10, 10);
        var bytes = img.Save(new SaveOptions(format, 70));
        var header = VipsImage.Probe(bytes);
        Assert.Equal((loader, 120, 80), (header.Loader, header.Width, header.Height));
        using var back = VipsImage.Thumbnail(bytes, new ThumbnailOptions(1000, 1000));
        var px = back.ToPixels();
        Assert.InRange(px[0], 230, 255); // red survives the codec
        Assert.InRange(px[1], 0, 40);
    }

    [Theory]
    [InlineData("photos/mate__Storm.jpg")] // 8-bit sRGB
    [InlineData("photos/libvips__sample.png")] // 16-bit: two bytes a sample
    public void ReadPixels_OfAMemoryCopy_LendsItsOwnBuffer_TheSamePixelsAsAComputedRead(string file)
    {
        using var thumb = VipsImage.Thumbnail(Corpus.Path(file), new ThumbnailOptions(96, 96) { ExportProfile = null });
        using var copy = thumb.CopyMemory();
        var computed = copy.ToPixels(); // vips_image_write_to_memory: a copy
        var lent = copy.ReadPixels(span => span.ToArray());
        var again = copy.ReadPixels(span => span.ToArray()); // in place, so readable any number of times

        Assert.Equal(copy.Width * copy.Height * copy.Bands * (copy.BandFormat == "ushort" ? 2 : 1), lent.Length);
        Assert.Equal(computed, lent);
        Assert.Equal(lent, again);
    }

    [Fact]
    public void Save_QualityChangesSize()
    {
        using var a = VipsImage.Thumbnail(Corpus.Path("photos/mate__Wood.jpg"), new ThumbnailOptions(400, 400));
        using var b = VipsImage.Thumbnail(Corpus.Path("photos/mate__Wood.jpg"), new ThumbnailOptions(400, 400));
        var low = a.Save(new SaveOptions(ImageFormat.WebP, 30)).Length;
        var high = b.Save(new SaveOptions(ImageFormat.WebP, 95)).Length;
        Assert.True(high > low * 1.2, $"q95 {high} bytes vs q30 {low} bytes");
    }

    [Fact]
    public void Thumbnail_OfCorruptFile_ThrowsVipsException()
    {
        Assert.Throws<VipsException>(() =>
        {
            using var t = VipsImage.Thumbnail(Corpus.Path("malformed/pillow__broken.png"), new ThumbnailOptions(100, 100));
            t.Save(new SaveOptions(ImageFormat.WebP));
        });
    }

    [Fact]
    public void UnknownOperationOrArgument_Throws()
    {
        using var img = VipsImage.Solid(8, 8, 1);
        Assert.Throws<ArgumentException>(() => img.Colourspace("no-such-space"));
    }
}

/// <summary>The process-wide switches. They change global state, so these run alone.</summary>
[Collection(Serial.Name)]
public sealed class RuntimeTests
{
    [Fact]
    public void SetOperationBlocked_BlocksAnOperation_UntilItIsUnblocked()
    {
        // vips_avg: nothing else runs it while a serial test runs.
        Assert.Equal(10, Mean());
        VipsRuntime.SetOperationBlocked("VipsAvg", true);
        try
        {
            var e = Assert.Throws<VipsException>(() => Mean());
            Assert.Contains("blocked", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            VipsRuntime.SetOperationBlocked("VipsAvg", false);
        }

        Assert.Equal(10, Mean());
    }

    /// <summary>A fresh image each time, so libvips' operation cache (if on) cannot answer instead.</summary>
    private static double Mean()
    {
        using var image = VipsImage.Solid(4, 4, 10);
        return image.Average();
    }
}

[Collection(Serial.Name)]
public sealed class LeakTests
{
    // Cached operations would count as live objects; libvips caches them unless the host turns that off.
    public LeakTests() => VipsRuntime.SetOperationCache(0, 0, 0);

    [Fact]
    public void NoLibvipsObjectsOrFilesLeak_AfterThumbnailsSavesAndErrors()
    {
        RunMix(); // warm up lazily-created singletons
        var objects = Quiescent();
        var files = VipsDiagnostics.TrackedFiles;
        for (var i = 0; i < 5; i++)
        {
            RunMix();
        }

        // Each round creates dozens of objects; a leak of even one per round would show as growth.
        var after = Quiescent();
        Assert.True(after <= objects, $"{after - objects} libvips objects leaked over 5 rounds ({objects} before, {after} after)");
        Assert.True(VipsDiagnostics.TrackedFiles <= files, $"{VipsDiagnostics.TrackedFiles - files} files left open");
    }

    /// <summary>The live object count once work abandoned by earlier tests (timed-out decodes) has drained
    /// and finalizers have run.</summary>
    private static int Quiescent()
    {
        var last = -1;
        for (var i = 0; i < 100; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var now = VipsDiagnostics.LiveObjects();
            if (now == last)
            {
                return now;
            }

            last = now;
            Thread.Sleep(100);
        }

        return last;
    }

    private static void RunMix()
    {
        foreach (var f in new[] { "photos/sharp__Landscape_9.jpg", "formats/sharp__16-bit-grey-alpha.png", "formats/wuffs__muybridge.apng" })
        {
            VipsImage.Probe(Corpus.Path(f));
            using var t = VipsImage.Thumbnail(Corpus.Path(f), new ThumbnailOptions(100, 100));
            using var c = t.WithoutMetadata();
            c.Save(new SaveOptions(ImageFormat.WebP));
        }

        Assert.ThrowsAny<Exception>(() => VipsImage.Probe(Corpus.Path("malformed/wuffs__0.bytes")));
        Assert.ThrowsAny<Exception>(() =>
        {
            using var t = VipsImage.Thumbnail(Corpus.Path("malformed/pillow__broken.png"), new ThumbnailOptions(100, 100));
            t.Save(new SaveOptions(ImageFormat.Png));
        });
    }
}
