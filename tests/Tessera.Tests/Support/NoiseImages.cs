using System.Buffers.Binary;
using System.IO.Compression;
using Tessera.Vips;

namespace Tessera.Tests.Support;

/// <summary>Images of random pixels: nothing compresses them, so their encodings are as large as encodings get.</summary>
public static class NoiseImages
{
    /// <summary>An 8-bit RGB PNG of seeded random pixels, written by hand (libvips cannot make noise through our binding).</summary>
    public static byte[] Png(int width, int height, int seed = 1)
    {
        var random = new Random(seed);
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + (width * 3)];
            for (var y = 0; y < height; y++)
            {
                random.NextBytes(row.AsSpan(1));
                row[0] = 0; // filter: none
                z.Write(row);
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Random pixels re-encoded by libvips in <paramref name="format"/> at <paramref name="quality"/>.</summary>
    public static byte[] Encoded(int width, int height, ImageFormat format, int quality, int seed = 1)
    {
        using var image = VipsImage.Thumbnail(Png(width, height, seed), new ThumbnailOptions(width, height) { ExportProfile = null });
        return image.Save(new SaveOptions(format, quality));
    }

    internal static void Chunk(Stream output, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, head.AsSpan(4));
        output.Write(head);
        output.Write(data);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc(head.AsSpan(4), data));
        output.Write(crc);
    }

    private static uint Crc(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var span in new[] { type.ToArray(), data.ToArray() })
        {
            foreach (var b in span)
            {
                c ^= b;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }
            }
        }

        return c ^ 0xFFFFFFFFu;
    }
}
