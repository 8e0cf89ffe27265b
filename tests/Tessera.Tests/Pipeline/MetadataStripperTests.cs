using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Pipeline;

public sealed class MetadataStripperTests
{
    [Fact]
    public void LibvipsWebPSave_WritesExif_EvenWithStrip_SoTheStripperIsNeeded()
    {
        // The reason MetadataStripper exists: Debian's libvips 8.14 keeps a fresh EXIF chunk in WebP.
        using var img = VipsImage.Thumbnail(Corpus.Path("photos/sharp__Landscape_9.jpg"), new ThumbnailOptions(200, 200));
        using var clean = img.WithoutMetadata();
        var raw = clean.Save(new SaveOptions(ImageFormat.WebP));
        Assert.Contains("EXIF", Images.MetadataMarkers(raw));
        var stripped = MetadataStripper.Strip(raw, OutputFormat.WebP);
        Assert.Empty(Images.MetadataMarkers(stripped));
        Assert.True(stripped.Length < raw.Length);
        Assert.Equal((200, 154), (VipsImage.Probe(stripped).Width, VipsImage.Probe(stripped).Height));
    }

    [Fact]
    public void StrippedWebP_HasConsistentRiffSizeAndFlags()
    {
        using var img = VipsImage.Thumbnail(Corpus.Path("formats/sharp__5_webp_a.webp"), new ThumbnailOptions(100, 100));
        var stripped = MetadataStripper.StripWebP(img.Save(new SaveOptions(ImageFormat.WebP)));
        Assert.Equal(stripped.Length - 8, BitConverter.ToInt32(stripped, 4));
        var text = System.Text.Encoding.ASCII.GetString(stripped, 12, 4);
        if (text == "VP8X")
        {
            Assert.Equal(0, stripped[20] & (0x20 | 0x08 | 0x04)); // no ICC, EXIF or XMP flags left
        }

        Assert.Equal(4, VipsImage.Probe(stripped).Bands); // alpha survives
    }

    [Fact]
    public void JpegStripper_DropsApp1App2App13AndComments_KeepsAdobe()
    {
        var jpeg = File.ReadAllBytes(Corpus.Path("photos/sharp__Landscape_9.jpg"));
        Assert.NotEmpty(Images.MetadataMarkers(jpeg));
        var stripped = MetadataStripper.StripJpeg(jpeg);
        Assert.Empty(Images.MetadataMarkers(stripped));
        Assert.Equal((480, 369), (VipsImage.Probe(stripped).Width, VipsImage.Probe(stripped).Height));
    }

    [Fact]
    public void PngStripper_DropsTextExifAndIcc()
    {
        var png = File.ReadAllBytes(Corpus.Path("exif/imgproxy__orientation-6.png"));
        var stripped = MetadataStripper.StripPng(png);
        Assert.DoesNotContain("eXIf", System.Text.Encoding.Latin1.GetString(stripped), StringComparison.Ordinal);
        Assert.Equal(1, VipsImage.Probe(stripped).Orientation);
    }

    [Fact]
    public void NonContainers_AreRejected()
    {
        Assert.Throws<InvalidDataException>(() => MetadataStripper.StripWebP([1, 2, 3]));
        Assert.Throws<InvalidDataException>(() => MetadataStripper.StripJpeg([1, 2, 3, 4]));
        Assert.Throws<InvalidDataException>(() => MetadataStripper.StripPng([1, 2, 3]));
    }
}
