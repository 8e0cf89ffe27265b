using System.Text;

namespace Tessera.Core.Remote;

/// <summary>The image type from magic bytes alone; Content-Type is never trusted. Only raster formats our loaders
/// decode without touching other files: SVG and PDF are deliberately not recognised.</summary>
public static class ImageSniffer
{
    /// <summary>Bytes of the body's head that <see cref="MediaType"/> needs to decide (the ftyp box of ISO-BMFF).</summary>
    public const int HeadLength = 64;

    private static ReadOnlySpan<byte> Png => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> JxlContainer => [0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20, 0x0D, 0x0A, 0x87, 0x0A];

    public static string? MediaType(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (head.StartsWith(Png))
        {
            return "image/png";
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A]) || head.StartsWith(JxlContainer))
        {
            return "image/jxl";
        }

        // Classic TIFF (42) and BigTIFF (43), both byte orders.
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8) || head.StartsWith("II+\0"u8) || head.StartsWith("MM\0+"u8))
        {
            return "image/tiff";
        }

        return IsoBmff(head);
    }

    /// <summary>AVIF / HEIF: an ftyp box whose major or compatible brands name an image brand (MP4 video does not).</summary>
    private static string? IsoBmff(ReadOnlySpan<byte> head)
    {
        if (head.Length < 16 || !head[4..8].SequenceEqual("ftyp"u8))
        {
            return null;
        }

        var boxSize = (int)Math.Min((uint)(head[0] << 24 | head[1] << 16 | head[2] << 8 | head[3]), (uint)head.Length);
        var brands = new List<string> { Encoding.ASCII.GetString(head[8..12]) };
        for (var i = 16; i + 4 <= boxSize; i += 4)
        {
            brands.Add(Encoding.ASCII.GetString(head[i..(i + 4)]));
        }

        if (brands.Exists(b => b is "avif" or "avis"))
        {
            return "image/avif";
        }

        if (brands.Exists(b => b is "heic" or "heix" or "heim" or "heis" or "hevc" or "hevx" or "hevm" or "hevs"))
        {
            return "image/heic";
        }

        return brands.Exists(b => b is "mif1" or "msf1" or "mif2") ? "image/heif" : null;
    }
}
