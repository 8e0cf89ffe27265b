namespace Tessera.Core.Presets;

/// <summary>File extensions, MIME types and content negotiation for output formats. Extensions and MIME types are
/// for resolved formats: <see cref="OutputFormat.Auto"/> has none.</summary>
public static class Formats
{
    public static string Extension(OutputFormat format) => format switch
    {
        OutputFormat.WebP => "webp",
        OutputFormat.Jpeg => "jpg",
        OutputFormat.Png => "png",
        OutputFormat.Avif => "avif",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string ContentType(OutputFormat format) => format switch
    {
        OutputFormat.WebP => "image/webp",
        OutputFormat.Jpeg => "image/jpeg",
        OutputFormat.Png => "image/png",
        OutputFormat.Avif => "image/avif",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static bool TryParseExtension(string ext, out OutputFormat format)
    {
        switch (ext.ToLowerInvariant())
        {
            case "webp": format = OutputFormat.WebP; return true;
            case "jpg" or "jpeg": format = OutputFormat.Jpeg; return true;
            case "png": format = OutputFormat.Png; return true;
            case "avif": format = OutputFormat.Avif; return true;
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

    /// <summary>Resolves <see cref="OutputFormat.Auto"/> from an Accept header: AVIF, then WebP, then JPEG; any other
    /// format is already resolved. Only explicit types count: "*/*" or "image/*" alone mean the client may not
    /// decode AVIF or WebP.</summary>
    public static OutputFormat Resolve(OutputFormat format, string? accept) => format switch
    {
        not OutputFormat.Auto => format,
        _ when Accepts(accept, "image/avif") => OutputFormat.Avif,
        _ when Accepts(accept, "image/webp") => OutputFormat.WebP,
        _ => OutputFormat.Jpeg,
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
