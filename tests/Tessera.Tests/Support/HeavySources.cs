using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Tessera.Tests.Support;

/// <summary>Sources that are small on disk and expensive to decode, written by the tests.</summary>
public static class HeavySources
{
    /// <summary>A one-page PDF of <paramref name="lines"/> stroked segments: poppler renders every one of them even
    /// at thumbnail size, so the page takes seconds of CPU.</summary>
    public static string WritePdf(string path, int lines, int seed = 1)
    {
        var random = new Random(seed);
        var content = new StringBuilder("0.1 w\n");
        for (var i = 0; i < lines; i++)
        {
            content.Append(CultureInfo.InvariantCulture,
                $"{random.Next(612)} {random.Next(792)} m {random.Next(612)} {random.Next(792)} l S\n");
        }

        var stream = Encoding.ASCII.GetBytes(content.ToString());
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        ];
        using var file = File.Create(path);
        var offsets = new List<long>();
        void Write(string text) => file.Write(Encoding.ASCII.GetBytes(text));
        Write("%PDF-1.4\n");
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(file.Position);
            Write($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        offsets.Add(file.Position);
        Write($"4 0 obj\n<< /Length {stream.Length} >>\nstream\n");
        file.Write(stream);
        Write("\nendstream\nendobj\n");
        var xref = file.Position;
        Write($"xref\n0 5\n0000000000 65535 f \n{string.Concat(offsets.Select(o => $"{o:D10} 00000 n \n"))}");
        Write($"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return path;
    }

    /// <summary>An SVG of one path of <paramref name="segments"/> crossing strokes: librsvg (cairo) draws it in one call
    /// per region that takes minutes at 20,000 segments, while the header reads in a fraction of a second.</summary>
    public static string WriteSvg(string path, int segments, int seed = 1)
    {
        var random = new Random(seed);
        var content = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"612\" height=\"792\"><path stroke=\"black\" stroke-width=\"0.1\" d=\"");
        for (var i = 0; i < segments; i++)
        {
            content.Append(CultureInfo.InvariantCulture, $"M{random.Next(612)} {random.Next(792)} L{random.Next(612)} {random.Next(792)} ");
        }

        File.WriteAllText(path, content.Append("\"/></svg>").ToString());
        return path;
    }

    /// <summary>An Adam7-interlaced RGB PNG of one colour: a few hundred KB on disk, decoded whole by the loader
    /// (width × height × 3 bytes).</summary>
    public static string WriteInterlacedPng(string path, int width, int height, byte r = 90, byte g = 140, byte b = 200)
    {
        using var file = File.Create(path);
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BigEndian(header, 0, width);
        BigEndian(header, 4, height);
        header[8] = 8; // bits per sample
        header[9] = 2; // RGB
        header[12] = 1; // Adam7
        Chunk(file, "IHDR", header);

        using var data = new MemoryStream();
        using (var zlib = new ZLibStream(data, CompressionLevel.Fastest, leaveOpen: true))
        {
            (int X, int Y, int Dx, int Dy)[] passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
            foreach (var (x, y, dx, dy) in passes)
            {
                var columns = (width - x + dx - 1) / dx;
                var rows = (height - y + dy - 1) / dy;
                if (columns <= 0 || rows <= 0)
                {
                    continue;
                }

                var row = new byte[1 + (columns * 3)];
                for (var i = 1; i < row.Length; i += 3)
                {
                    (row[i], row[i + 1], row[i + 2]) = (r, g, b);
                }

                for (var j = 0; j < rows; j++)
                {
                    zlib.Write(row);
                }
            }
        }

        Chunk(file, "IDAT", data.ToArray());
        Chunk(file, "IEND", []);
        return path;
    }

    private static void Chunk(Stream output, string type, byte[] body)
    {
        var length = new byte[4];
        BigEndian(length, 0, body.Length);
        output.Write(length);
        var typed = new byte[4 + body.Length];
        Encoding.ASCII.GetBytes(type, typed);
        body.CopyTo(typed, 4);
        output.Write(typed);
        var crc = new byte[4];
        BigEndian(crc, 0, (int)Crc32(typed));
        output.Write(crc);
    }

    private static void BigEndian(byte[] target, int at, int value) =>
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(target.AsSpan(at), value);

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
