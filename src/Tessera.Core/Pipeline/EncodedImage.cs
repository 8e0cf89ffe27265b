using Tessera.Core.Presets;

namespace Tessera.Core.Pipeline;

/// <summary>An encoded thumbnail and what produced it.</summary>
public sealed record EncodedImage(byte[] Bytes, OutputFormat Format, int Width, int Height, TimeSpan Elapsed)
{
    /// <summary>The preview of these pixels, when the engine made it from them while encoding; else null (made from
    /// the bytes when stored).</summary>
    public Preview? Preview { get; init; }
}
