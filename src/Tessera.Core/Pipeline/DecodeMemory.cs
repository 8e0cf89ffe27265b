using Tessera.Core.Engine;

namespace Tessera.Core.Pipeline;

/// <summary>A decode's peak memory, estimated from the header alone: width × height × bands × bytes per sample
/// at the size the loader really decodes. JPEG (baseline), WebP, PDF and SVG shrink on load; progressive JPEG,
/// interlaced PNG and every other loader decode the whole first page.</summary>
internal static class DecodeMemory
{
    public static long Estimate(SourceHeader header, ThumbnailBox box)
    {
        var full = header.FirstPagePixels * Math.Max(1, header.Bands) * Math.Max(1, header.BytesPerSample);
        var scale = Math.Max(1.0, Math.Max((double)header.Width / Math.Max(1, box.Width), (double)header.PageHeight / Math.Max(1, box.Height)));
        var loader = header.Loader;
        if (loader.StartsWith("jpegload", StringComparison.Ordinal) && !header.Interlaced)
        {
            var shrink = scale >= 8 ? 8 : scale >= 4 ? 4 : scale >= 2 ? 2 : 1; // libjpeg scales by 1/2, 1/4, 1/8 only
            return full / (shrink * shrink);
        }

        if (loader.StartsWith("webpload", StringComparison.Ordinal) || loader.StartsWith("pdfload", StringComparison.Ordinal)
            || loader.StartsWith("svgload", StringComparison.Ordinal))
        {
            return (long)(full / (scale * scale));
        }

        return full;
    }
}
