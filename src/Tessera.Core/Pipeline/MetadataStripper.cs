using System.Buffers.Binary;
using Tessera.Core.Presets;

namespace Tessera.Core.Pipeline;

/// <summary>Removes metadata from encoded bytes. libvips 8.14's webpsave writes a fresh EXIF chunk (orientation,
/// resolution) even with strip=true and no metadata on the image, so thumbnails are cleaned at the container
/// level: RIFF chunks for WebP, APPn/COM segments for JPEG, ancillary text/EXIF/ICC chunks for PNG.</summary>
public static class MetadataStripper
{
    public static byte[] Strip(byte[] encoded, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        return format switch
        {
            OutputFormat.WebP => StripWebP(encoded),
            OutputFormat.Jpeg => StripJpeg(encoded),
            OutputFormat.Png => StripPng(encoded),
            _ => encoded, // AVIF: heifsave writes no Exif/XMP items once the image carries none.
        };
    }

    private static readonly string[] WebPDrop = ["EXIF", "XMP ", "ICCP"];

    public static byte[] StripWebP(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length < 12 || !Tag(data, 0, "RIFF") || !Tag(data, 8, "WEBP"))
        {
            throw new InvalidDataException("not a RIFF WebP");
        }

        using var output = new MemoryStream(data.Length);
        output.Write(data, 0, 12);
        var pos = 12;
        while (pos + 8 <= data.Length)
        {
            var fourcc = System.Text.Encoding.ASCII.GetString(data, pos, 4);
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos + 4));
            var total = 8 + size + (size & 1);
            if (size < 0 || pos + 8 + size > data.Length)
            {
                throw new InvalidDataException("truncated WebP chunk");
            }

            total = Math.Min(total, data.Length - pos);
            if (!WebPDrop.Contains(fourcc))
            {
                var start = (int)output.Position;
                output.Write(data, pos, total);
                if (fourcc == "VP8X" && size >= 1)
                {
                    // Flags byte: ICC 0x20, alpha 0x10, EXIF 0x08, XMP 0x04, animation 0x02.
                    var buffer = output.GetBuffer();
                    buffer[start + 8] &= unchecked((byte)~(0x20 | 0x08 | 0x04));
                }
            }

            pos += total;
        }

        var result = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(result.Length - 8));
        return result;
    }

    public static byte[] StripJpeg(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            throw new InvalidDataException("not a JPEG");
        }

        using var output = new MemoryStream(data.Length);
        output.Write(data, 0, 2);
        var pos = 2;
        while (pos + 4 <= data.Length && data[pos] == 0xFF)
        {
            var marker = data[pos + 1];
            if (marker == 0xDA)
            {
                break; // start of scan: the rest is entropy-coded data
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(pos + 2));
            var end = Math.Min(data.Length, pos + 2 + length);
            // Keep APP0 (JFIF) and APP14 (Adobe colour transform); drop other APPn and COM.
            var drop = (marker is >= 0xE1 and <= 0xEF && marker != 0xEE) || marker == 0xFE;
            if (!drop)
            {
                output.Write(data, pos, end - pos);
            }

            pos = end;
        }

        output.Write(data, pos, data.Length - pos);
        return output.ToArray();
    }

    private static readonly string[] PngDrop = ["eXIf", "tEXt", "zTXt", "iTXt", "iCCP", "tIME"];

    public static byte[] StripPng(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length < 8 || data[0] != 0x89 || !Tag(data, 1, "PNG"))
        {
            throw new InvalidDataException("not a PNG");
        }

        using var output = new MemoryStream(data.Length);
        output.Write(data, 0, 8);
        var pos = 8;
        while (pos + 12 <= data.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(data, pos + 4, 4);
            var total = 12 + length;
            if (length < 0 || pos + total > data.Length)
            {
                throw new InvalidDataException("truncated PNG chunk");
            }

            if (!PngDrop.Contains(type))
            {
                output.Write(data, pos, total);
            }

            pos += total;
        }

        return output.ToArray();
    }

    private static bool Tag(byte[] data, int offset, string tag)
    {
        for (var i = 0; i < tag.Length; i++)
        {
            if (data[offset + i] != tag[i])
            {
                return false;
            }
        }

        return true;
    }
}
