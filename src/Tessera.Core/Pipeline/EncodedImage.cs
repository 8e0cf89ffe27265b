using Tessera.Vips;

namespace Tessera.Core.Pipeline;

/// <summary>An encoded thumbnail and what produced it.</summary>
public sealed record EncodedImage(byte[] Bytes, ImageFormat Format, int Width, int Height, TimeSpan Elapsed);
