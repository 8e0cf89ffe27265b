using System.Text;
using Tessera.Core.Remote;
using Tessera.Vips;

namespace Tessera.Tests.Remote;

public sealed class ImageSnifferTests
{
    [Theory]
    [InlineData(ImageFormat.Jpeg, "image/jpeg")]
    [InlineData(ImageFormat.Png, "image/png")]
    [InlineData(ImageFormat.WebP, "image/webp")]
    [InlineData(ImageFormat.Avif, "image/avif")]
    public void Images_encoded_by_libvips_are_recognised(ImageFormat format, string mediaType)
    {
        using var image = VipsImage.Solid(8, 8, 40, 80, 120);
        var bytes = image.Save(new SaveOptions(format) { Effort = format == ImageFormat.Avif ? 0 : null });
        Assert.Equal(mediaType, ImageSniffer.MediaType(bytes));
    }

    [Theory]
    [InlineData("474946383961", "image/gif")]
    [InlineData("474946383761", "image/gif")]
    [InlineData("49492A0008000000", "image/tiff")]
    [InlineData("4D4D002A00000008", "image/tiff")]
    [InlineData("49492B0008000000", "image/tiff")]
    [InlineData("FF0AFA", "image/jxl")]
    [InlineData("0000000C4A584C200D0A870A", "image/jxl")]
    [InlineData("0000001C667479706176696600000000617669666D696631", "image/avif")]
    [InlineData("0000001C66747970617669730000000061766973", "image/avif")]
    [InlineData("00000018667479706D69663100000000617669666D696631", "image/avif")]
    [InlineData("0000001866747970686569630000000068656963", "image/heic")]
    [InlineData("0000001866747970686569780000000068656978", "image/heic")]
    [InlineData("000000186674797068656966000000006D696631", "image/heif")]
    [InlineData("00000018667479706D736631000000006D736631", "image/heif")]
    public void Other_raster_formats_are_recognised_by_their_magic_bytes(string hex, string mediaType)
    {
        Assert.Equal(mediaType, ImageSniffer.MediaType(Convert.FromHexString(hex)));
    }

    [Theory]
    [InlineData("<!doctype html><html><body>hello</body></html>")]
    [InlineData("<html>")]
    [InlineData("{\"error\":\"not found\"}")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")]
    [InlineData("<?xml version=\"1.0\"?><svg/>")]
    [InlineData("%PDF-1.7\n%\u00e2\u00e3")]
    [InlineData("")]
    [InlineData("GIF8")]
    [InlineData("RIFF\u0010\0\0\0WAVEfmt ")]
    [InlineData("II*")]
    public void Text_documents_and_truncated_signatures_are_not_images(string text)
    {
        Assert.Null(ImageSniffer.MediaType(Encoding.Latin1.GetBytes(text)));
    }

    [Theory]
    [InlineData("0000001C6674797069736F6D0000020069736F6D69736F32")] // MP4 video: isom
    [InlineData("00000018667479706D703432000000006D703432")] // mp42
    [InlineData("000000146674797071742020")] // QuickTime
    public void Iso_media_files_without_an_image_brand_are_not_images(string hex)
    {
        Assert.Null(ImageSniffer.MediaType(Convert.FromHexString(hex)));
    }
}
