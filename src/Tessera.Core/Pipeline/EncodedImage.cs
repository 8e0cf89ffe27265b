using Tessera.Core.Presets;

namespace Tessera.Core.Pipeline;

/// <summary>An encoded thumbnail and what produced it.</summary>
public sealed record EncodedImage(byte[] Bytes, OutputFormat Format, int Width, int Height, TimeSpan Elapsed);
