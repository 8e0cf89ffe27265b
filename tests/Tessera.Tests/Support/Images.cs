using Tessera.Vips;

namespace Tessera.Tests.Support;

/// <summary>Generated fixtures and byte-level checks on encoded images.</summary>
public static class Images
{
    /// <summary>A JPEG of one solid colour, made by libvips.</summary>
    public static byte[] SolidJpeg(int width, int height, byte r, byte g, byte b)
    {
        using var img = VipsImage.Solid(width, height, r, g, b);
        return img.Save(new SaveOptions(ImageFormat.Jpeg, 90));
    }

    public static string WriteSolidJpeg(string path, int width, int height, byte r = 200, byte g = 100, byte b = 50)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, SolidJpeg(width, height, r, g, b));
        return path;
    }

    /// <summary>True when the bytes carry EXIF, XMP, IPTC or an ICC profile anywhere.</summary>
    public static IReadOnlyList<string> MetadataMarkers(byte[] bytes)
    {
        var found = new List<string>();
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        if (text.Contains("Exif\0\0", StringComparison.Ordinal) || text.Contains("EXIF", StringComparison.Ordinal) || text.Contains("eXIf", StringComparison.Ordinal))
        {
            found.Add("EXIF");
        }

        if (text.Contains("http://ns.adobe.com/xap", StringComparison.Ordinal) || text.Contains("x:xmpmeta", StringComparison.Ordinal) || text.Contains("XMP ", StringComparison.Ordinal))
        {
            found.Add("XMP");
        }

        if (text.Contains("Photoshop 3.0", StringComparison.Ordinal))
        {
            found.Add("IPTC");
        }

        if (text.Contains("ICCP", StringComparison.Ordinal) || text.Contains("ICC_PROFILE", StringComparison.Ordinal) || text.Contains("iCCP", StringComparison.Ordinal))
        {
            found.Add("ICC");
        }

        if (text.Contains("GPS", StringComparison.Ordinal))
        {
            found.Add("GPS");
        }

        return found;
    }
}
