using System.Buffers.Binary;
using System.IO.Compression;

namespace Tessera.Core.Pipeline;

/// <summary>Checks gzip-wrapped sources (SVGZ) before libvips sees them: libvips 8.14 spins forever on a
/// truncated SVGZ. A stream is complete when it inflates within the cap to the length its trailer records.</summary>
internal static class GzipCheck
{
    public static bool IsGzip(string path)
    {
        Span<byte> magic = stackalloc byte[2];
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        return fs.Read(magic) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    /// <summary>Throws <see cref="ThumbnailException"/> unless the gzip stream is whole and under the cap.</summary>
    public static void EnsureComplete(string path, long maxInflatedBytes)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        if (fs.Length < 18)
        {
            throw new ThumbnailException(FailureReason.DecodeFailed, "gzip stream is truncated");
        }

        Span<byte> trailer = stackalloc byte[4];
        fs.Seek(-4, SeekOrigin.End);
        fs.ReadExactly(trailer);
        var recorded = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        fs.Seek(0, SeekOrigin.Begin);

        long inflated = 0;
        try
        {
            using var gz = new GZipStream(fs, CompressionMode.Decompress);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = gz.Read(buffer)) > 0)
            {
                inflated += read;
                if (inflated > maxInflatedBytes)
                {
                    throw new ThumbnailException(FailureReason.TooLarge, $"gzip stream inflates past {maxInflatedBytes} bytes");
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new ThumbnailException(FailureReason.DecodeFailed, $"corrupt gzip stream: {e.Message}", e);
        }

        if ((uint)inflated != recorded)
        {
            throw new ThumbnailException(FailureReason.DecodeFailed, "gzip stream is truncated");
        }
    }
}
