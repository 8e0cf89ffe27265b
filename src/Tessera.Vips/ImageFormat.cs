using Tessera.Vips.Interop;
namespace Tessera.Vips;

/// <summary>The encodings <see cref="VipsImage.Save"/> writes.</summary>
public enum ImageFormat
{
    WebP,
    Jpeg,
    Png,
    Avif,
}
