using System.Globalization;
using Tessera.Core.Engine;

namespace Tessera.Core.Pipeline;

/// <summary>What an app shows before a thumbnail arrives: a ThumbHash (base64, at most 25 bytes) and the average colour
/// as #rrggbb. Made from a ≤100 px downscale of the rendition when it is generated, and stored with it.</summary>
public sealed record Preview(string ThumbHash, string Colour)
{
    /// <summary>The preview of encoded image bytes, or null when the engine cannot read them (a preview is never worth a failure).</summary>
    public static Preview? Of(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var small = VipsEngine.SmallRgba(encoded, Pipeline.ThumbHash.MaxSide);
            return Of(small.Width, small.Height, small.Rgba);
        }
        catch (EngineException)
        {
            return null;
        }
    }

    public static Preview Of(int width, int height, ReadOnlySpan<byte> rgba)
    {
        var hash = Pipeline.ThumbHash.Encode(width, height, rgba);
        var (r, g, b, _) = Pipeline.ThumbHash.Average(width, height, rgba);
        return new Preview(Convert.ToBase64String(hash), string.Create(CultureInfo.InvariantCulture, $"#{Byte(r):x2}{Byte(g):x2}{Byte(b):x2}"));
    }

    private static int Byte(double unit) => Math.Clamp((int)Math.Round(unit * 255, MidpointRounding.AwayFromZero), 0, 255);
}
