using System.Collections.Concurrent;
using Tessera.Core.Engine;
using Tessera.Core.Presets;

namespace Tessera.Core.Pipeline;

/// <summary>One neutral placeholder image per preset and format, made once and kept in memory.</summary>
public sealed class Placeholders
{
    private static readonly double[] Grey = [224, 224, 224];
    private readonly ConcurrentDictionary<(int W, int H, OutputFormat F), Lazy<byte[]>> _made = new();

    public byte[] Get(Preset preset, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var lazy = _made.GetOrAdd((preset.Width, preset.Height, format), k => new Lazy<byte[]>(() => Make(k.W, k.H, k.F)));
        return lazy.Value;
    }

    private static byte[] Make(int width, int height, OutputFormat format) =>
        MetadataStripper.Strip(VipsEngine.Solid(width, height, Grey, new EncodeSettings(format, 60, format == OutputFormat.Avif ? 2 : null)), format);
}
