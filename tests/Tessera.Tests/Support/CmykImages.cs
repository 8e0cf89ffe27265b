using System.Buffers.Binary;
using System.IO.Compression;
using Tessera.Vips;

namespace Tessera.Tests.Support;

/// <summary>CMYK JPEGs with no ICC profile, as print-origin cover art often is, made by libvips: an sRGB picture turned
/// CMYK through libvips' built-in profile and saved stripped. libjpeg writes CMYK with an Adobe APP14 marker and
/// inverted samples, as Photoshop does.</summary>
public static class CmykImages
{
    /// <summary>Left half <paramref name="left"/>, right half <paramref name="right"/> (sRGB), CMYK, no profile; with an
    /// EXIF orientation when <paramref name="orientation"/> is not 1.</summary>
    public static byte[] Jpeg(int width, int height, (byte R, byte G, byte B) left, (byte R, byte G, byte B) right, int orientation = 1)
    {
        using var rgb = VipsImage.Thumbnail(TwoColourPng(width, height, left, right), new ThumbnailOptions(width, height) { ExportProfile = null });
        using var cmyk = rgb.Colourspace("cmyk");
        var jpeg = cmyk.Save(new SaveOptions(ImageFormat.Jpeg, 95)); // strip: no ICC profile, no EXIF
        return orientation == 1 ? jpeg : WithOrientation(jpeg, orientation);
    }

    /// <summary>The JPEG with an EXIF APP1 segment holding only an Orientation tag, right after SOI.</summary>
    public static byte[] WithOrientation(byte[] jpeg, int orientation)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD0 at 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0, // Orientation, SHORT, 1 value
            0, 0, 0, 0, // no next IFD
        ];
        var app1 = new byte[4 + 6 + tiff.Length];
        app1[0] = 0xFF;
        app1[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(app1.AsSpan(2), (ushort)(app1.Length - 2));
        "Exif\0\0"u8.CopyTo(app1.AsSpan(4));
        tiff.CopyTo(app1.AsSpan(10));
        return [.. jpeg.AsSpan(0, 2), .. app1, .. jpeg.AsSpan(2)];
    }

    /// <summary>True when the JPEG carries an Adobe APP14 marker (CMYK samples stored inverted).</summary>
    public static bool HasAdobeMarker(byte[] jpeg)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        var at = jpeg.AsSpan().IndexOf("Adobe"u8);
        return at >= 4 && jpeg[at - 4] == 0xFF && jpeg[at - 3] == 0xEE;
    }

    private static byte[] TwoColourPng(int width, int height, (byte R, byte G, byte B) left, (byte R, byte G, byte B) right)
    {
        var row = new byte[1 + (width * 3)]; // filter byte 0: none
        for (var x = 0; x < width; x++)
        {
            var (r, g, b) = x < width / 2 ? left : right;
            (row[1 + (x * 3)], row[2 + (x * 3)], row[3 + (x * 3)]) = (r, g, b);
        }

        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                z.Write(row);
            }
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        NoiseImages.Chunk(png, "IHDR", header);
        NoiseImages.Chunk(png, "IDAT", raw.ToArray());
        NoiseImages.Chunk(png, "IEND", []);
        return png.ToArray();
    }
}
