namespace Tessera.Core.Engine;

/// <summary>An encoded thumbnail, its size, and the same pixels shrunk to a small RGBA image (what a preview is made
/// from) when the engine had them at hand, so nothing decodes the thumbnail again to describe it.</summary>
internal sealed record Rendered(byte[] Bytes, int Width, int Height)
{
    public SmallImage? Small { get; init; }
}
