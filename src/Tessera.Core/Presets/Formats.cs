using Tessera.Vips;

namespace Tessera.Core.Presets;

/// <summary>File extensions, MIME types and content negotiation for output formats.</summary>
public static class Formats
{
    public static string Extension(ImageFormat format) => format switch
    {
        ImageFormat.WebP => "webp",
        ImageFormat.Jpeg => "jpg",
        ImageFormat.Png => "png",
        ImageFormat.Avif => "avif",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string ContentType(ImageFormat format) => format switch
    {
        ImageFormat.WebP => "image/webp",
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Png => "image/png",
        ImageFormat.Avif => "image/avif",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static bool TryParseExtension(string ext, out ImageFormat format)
    {
        switch (ext.ToLowerInvariant())
        {
            case "webp": format = ImageFormat.WebP; return true;
            case "jpg" or "jpeg": format = ImageFormat.Jpeg; return true;
            case "png": format = ImageFormat.Png; return true;
            case "avif": format = ImageFormat.Avif; return true;
            default: format = default; return false;
        }
    }

    public static bool TryParse(string? value, out OutputFormat format)
    {
        switch (value?.ToLowerInvariant())
        {
            case "webp": format = OutputFormat.WebP; return true;
            case "jpg" or "jpeg": format = OutputFormat.Jpeg; return true;
            case "png": format = OutputFormat.Png; return true;
            case "avif": format = OutputFormat.Avif; return true;
            case "auto": format = OutputFormat.Auto; return true;
            default: format = default; return false;
        }
    }

    /// <summary>Resolves <see cref="OutputFormat.Auto"/> from an Accept header: AVIF, then WebP, then JPEG.
    /// Only explicit types count: "*/*" or "image/*" alone mean the client may not decode AVIF or WebP.</summary>
    public static ImageFormat Resolve(OutputFormat format, string? accept) => format switch
    {
        OutputFormat.WebP => ImageFormat.WebP,
        OutputFormat.Jpeg => ImageFormat.Jpeg,
        OutputFormat.Png => ImageFormat.Png,
        OutputFormat.Avif => ImageFormat.Avif,
        _ when Accepts(accept, "image/avif") => ImageFormat.Avif,
        _ when Accepts(accept, "image/webp") => ImageFormat.WebP,
        _ => ImageFormat.Jpeg,
    };

    private static bool Accepts(string? accept, string mime)
    {
        if (string.IsNullOrEmpty(accept))
        {
            return false;
        }

        foreach (var part in accept.Split(','))
        {
            var pieces = part.Split(';');
            if (!pieces[0].Trim().Equals(mime, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // "image/webp;q=0" means "not acceptable".
            var q = pieces.Skip(1).Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("q=", StringComparison.OrdinalIgnoreCase));
            return q is null || !double.TryParse(q.AsSpan(2), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var qv) || qv > 0;
        }

        return false;
    }
}
