using System.Collections.Concurrent;
using Tessera.Core.Presets;
using Tessera.Vips;

namespace Tessera.Core.Pipeline;

/// <summary>One neutral placeholder image per preset and format, made once and kept in memory.</summary>
public sealed class Placeholders
{
    private static readonly double[] Grey = [224, 224, 224];
    private readonly ConcurrentDictionary<(int W, int H, ImageFormat F), Lazy<byte[]>> _made = new();

    public byte[] Get(Preset preset, ImageFormat format)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var lazy = _made.GetOrAdd((preset.Width, preset.Height, format), k => new Lazy<byte[]>(() => Make(k.W, k.H, k.F)));
        return lazy.Value;
    }

    private static byte[] Make(int width, int height, ImageFormat format)
    {
        using var solid = VipsImage.Solid(width, height, Grey);
        return MetadataStripper.Strip(solid.Save(new SaveOptions(format, 60) { Effort = format == ImageFormat.Avif ? 2 : null }), format);
    }
}
