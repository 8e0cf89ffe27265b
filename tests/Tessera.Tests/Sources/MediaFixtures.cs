using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Tessera.Core.Sources;
using Tessera.Vips;

namespace Tessera.Tests.Sources;

/// <summary>Media files made by the real ffmpeg in a temp folder, and checks on the images that come back.</summary>
internal static class MediaFixtures
{
    public static FfmpegExtractor Extractor(TimeSpan? timeout = null, string ffmpeg = "ffmpeg") =>
        new(new FfmpegOptions { FfmpegPath = ffmpeg, Timeout = timeout ?? TimeSpan.FromSeconds(30) });

    /// <summary>Runs ffmpeg to make a fixture; fails the test with ffmpeg's message if it cannot.</summary>
    public static string Make(string output, params string[] arguments)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-v", "error", "-nostdin", "-y", .. arguments, output])
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"ffmpeg did not finish making {output}");
        }

        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"ffmpeg could not make {output}: {stderr.Result}");
    }

    public static byte[] SolidImage(int width, int height, byte r, byte g, byte b, ImageFormat format)
    {
        using var img = VipsImage.Solid(width, height, r, g, b);
        return img.Save(new SaveOptions(format, 90));
    }

    /// <summary>A FLAC METADATA_BLOCK_PICTURE (front cover), base64 as Vorbis comments carry it: ffmpeg 5.1
    /// reads it from Ogg but cannot write an attached picture there itself.</summary>
    public static string PictureBlock(byte[] image, string mime, int width, int height)
    {
        using var ms = new MemoryStream();
        void Int(int v)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(b, v);
            ms.Write(b);
        }

        Int(3); // front cover
        Int(mime.Length);
        ms.Write(Encoding.ASCII.GetBytes(mime));
        Int(0); // no description
        Int(width);
        Int(height);
        Int(24);
        Int(0);
        Int(image.Length);
        ms.Write(image);
        return Convert.ToBase64String(ms.ToArray());
    }

    /// <summary>Size and mean colour of an encoded image, decoded by libvips.</summary>
    public static (int Width, int Height, double R, double G, double B) Look(byte[] encoded)
    {
        var header = VipsImage.Probe(encoded);
        using var img = VipsImage.Thumbnail(encoded, new ThumbnailOptions(32, 32) { ExportProfile = null });
        using var rgb = img.Bands >= 3 ? img.WithoutMetadata() : img.Colourspace("srgb");
        var px = rgb.ToPixels();
        var bands = rgb.Bands;
        double r = 0, g = 0, b = 0;
        var n = px.Length / bands;
        for (var i = 0; i < px.Length; i += bands)
        {
            (r, g, b) = (r + px[i], g + px[i + 1], b + px[i + 2]);
        }

        return (header.Width, header.Height, r / n, g / n, b / n);
    }

    public static void AssertColour(byte[] encoded, (byte R, byte G, byte B) expected, string what)
    {
        var (_, _, r, g, b) = Look(encoded);
        Assert.True(Math.Abs(r - expected.R) < 25 && Math.Abs(g - expected.G) < 25 && Math.Abs(b - expected.B) < 25,
            $"{what} is ({r:0},{g:0},{b:0}), expected about {expected}");
    }

    /// <summary>A one-second tone; with <paramref name="cover"/>, that image embedded as its attached picture
    /// (ID3 APIC for .mp3, covr for .m4a/.m4b, a PICTURE block for .flac).</summary>
    public static string Audio(string path, string? cover = null, int hz = 440)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string[] codec = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".mp3" => ["-c:a", "libmp3lame", "-id3v2_version", "3"],
            ".flac" => ["-c:a", "flac"],
            _ => ["-c:a", "aac", "-f", "mp4"],
        };
        string[] picture = cover is null ? [] : ["-i", cover, "-map", "0:a", "-map", "1:v", "-c:v", "copy", "-disposition:v:0", "attached_pic"];
        return Make(path, ["-f", "lavfi", "-i", $"sine=frequency={hz}:duration=1", .. picture, .. codec]);
    }

    /// <summary>A short H.264 video of one colour.</summary>
    public static string Video(string path, string colour = "green", double seconds = 2)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return Make(path, "-f", "lavfi", "-i", $"color=c={colour}:s=320x240:d={seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            "-pix_fmt", "yuv420p", "-c:v", "libx264");
    }
}
