using Tessera.Vips.Interop;
namespace Tessera.Vips;

/// <summary>Output encodings Tessera writes.</summary>
public enum ImageFormat
{
    WebP,
    Jpeg,
    Png,
    Avif,
}
