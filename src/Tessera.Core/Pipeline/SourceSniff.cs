using System.IO.Compression;
using System.Text;

namespace Tessera.Core.Pipeline;

/// <summary>Recognises SVG (plain or gzipped) and PDF by their first bytes, erring towards "yes": whatever
/// is taken for SVG goes through the sanitiser, and whatever libvips would take for SVG must not skip it.</summary>
internal static class SourceSniff
{
    /// <summary>libvips looks for "&lt;svg" this far into a file.</summary>
    private const int HeadBytes = 1024;

    /// <summary>Enough gzip input to inflate to a kilobyte even for incompressible text.</summary>
    private const int CompressedHeadBytes = 16 * 1024;

    public static bool IsSvgPath(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".svg" or ".svgz" || IsSvg(ReadHead(path));

    public static bool IsSvgOrPdf(ReadOnlySpan<byte> bytes) => IsPdf(bytes) || IsSvg(Inflated(bytes));

    public static bool IsPdf(ReadOnlySpan<byte> bytes) => bytes[..Math.Min(bytes.Length, HeadBytes)].IndexOf("%PDF"u8) >= 0;

    /// <summary>XML-looking text (a "&lt;" after an optional BOM and whitespace), or what libvips' own svgload
    /// sniff accepts: 24 plain ASCII bytes and "&lt;svg" in the first kilobyte.</summary>
    public static bool IsSvg(ReadOnlySpan<byte> head)
    {
        head = head[..Math.Min(head.Length, HeadBytes)];
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            var text = (head[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode).GetString(head[2..]);
            return text.TrimStart().StartsWith('<');
        }

        var body = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? head[3..] : head;
        var start = body.IndexOfAnyExcept((ReadOnlySpan<byte>)[(byte)' ', (byte)'\t', (byte)'\r', (byte)'\n']);
        if (start >= 0 && body[start] == '<')
        {
            return true;
        }

        var ascii = head[..Math.Min(head.Length, 24)];
        return head.Length >= 24 && !ascii.ContainsAnyExceptInRange((byte)0x09, (byte)0x7F)
            && Encoding.ASCII.GetString(head).Contains("<svg", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The first kilobyte, inflated when the file or buffer is gzip (an SVGZ).</summary>
    private static byte[] ReadHead(string path)
    {
        var head = new byte[CompressedHeadBytes];
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        var n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return Inflated(head.AsSpan(0, n));
    }

    private static byte[] Inflated(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2 || bytes[0] != 0x1F || bytes[1] != 0x8B)
        {
            return bytes[..Math.Min(bytes.Length, HeadBytes)].ToArray();
        }

        var head = new byte[HeadBytes];
        var n = 0;
        try
        {
            var prefix = bytes[..Math.Min(bytes.Length, CompressedHeadBytes)].ToArray();
            using var gz = new GZipStream(new MemoryStream(prefix, writable: false), CompressionMode.Decompress);
            int read;
            while (n < head.Length && (read = gz.Read(head, n, head.Length - n)) > 0)
            {
                n += read;
            }
        }
        catch (InvalidDataException)
        {
            // A truncated or corrupt stream: judge by what inflated.
        }

        return head[..n];
    }
}
