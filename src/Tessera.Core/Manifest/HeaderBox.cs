using Tessera.Core.Engine;
using Tessera.Core.Presets;
using Tessera.Core.Sources;

namespace Tessera.Core.Manifest;

/// <summary>The size a rendition of an image file will have, from the file's header alone (no pixel is decoded):
/// fit inside the preset's box, never upscaled, EXIF rotation applied. libvips may round one side by a pixel.</summary>
internal static class HeaderBox
{
    public static (int Width, int Height)? Of(string path, Preset preset)
    {
        if (MediaKinds.Of(path) != MediaKind.Image || path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".svgz", StringComparison.OrdinalIgnoreCase))
        {
            return null; // SVG is read only after sanitising; media and documents need ffmpeg or a renderer
        }

        if (FileStamp.Of(path) is not { Size: > 0 })
        {
            return null; // gone, empty, or a FIFO or device, which an open could block on forever
        }

        SourceHeader header;
        try
        {
            header = VipsEngine.Probe(path);
        }
        catch (Exception e) when (e is EngineException or IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var (width, height) = header.Orientation is >= 5 and <= 8 ? (header.PageHeight, header.Width) : (header.Width, header.PageHeight);
        if (width <= 0 || height <= 0)
        {
            return null;
        }

        var scale = Math.Min(1.0, Math.Min(preset.Width / (double)width, preset.Height / (double)height));
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }
}
