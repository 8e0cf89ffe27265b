using System.IO.Compression;

namespace Tessera.Core.Pipeline;

/// <summary>Reads an SVG or SVGZ library file into sanitised bytes for libvips' SVG buffer loader.</summary>
internal static class SvgSource
{
    /// <summary>The sanitised document, or throws <see cref="ThumbnailException"/>. An SVGZ must be a whole
    /// gzip stream (libvips 8.14 spins on a truncated one) that inflates within the SVG size cap.</summary>
    public static byte[] ReadSanitized(string path, long maxBytes = SvgSanitizer.MaxSvgBytes) =>
        SvgSanitizer.Sanitize(Read(path, maxBytes), maxBytes);

    private static byte[] Read(string path, long maxBytes)
    {
        if (!GzipCheck.IsGzip(path))
        {
            var length = new FileInfo(path).Length;
            return length <= maxBytes
                ? File.ReadAllBytes(path)
                : throw new ThumbnailException(FailureReason.TooLarge, $"SVG is {length} bytes; the limit is {maxBytes}");
        }

        GzipCheck.EnsureComplete(path, maxBytes);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        using var gz = new GZipStream(fs, CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        var buffer = new byte[1 << 16];
        try
        {
            int read;
            while ((read = gz.Read(buffer)) > 0)
            {
                // Checked again: the file may have changed since EnsureComplete read it.
                if (inflated.Length + read > maxBytes)
                {
                    throw new ThumbnailException(FailureReason.TooLarge, $"gzip stream inflates past {maxBytes} bytes");
                }

                inflated.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            throw new ThumbnailException(FailureReason.DecodeFailed, $"corrupt gzip stream: {e.Message}", e);
        }

        return inflated.ToArray();
    }
}
