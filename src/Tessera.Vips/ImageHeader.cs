using Tessera.Vips.Interop;
namespace Tessera.Vips;

/// <summary>What a loader reads from a file's header, before any pixel is decoded.</summary>
/// <param name="Loader">libvips loader nickname, e.g. "jpegload".</param>
/// <param name="PageHeight">Height of one page or frame; equals Height for single-page images.</param>
/// <param name="Orientation">The EXIF orientation tag (1–8), 1 when absent.</param>
/// <param name="Interpretation">libvips' interpretation of the pixels, e.g. "srgb", "cmyk", "b-w".</param>
/// <param name="IccProfile">The embedded ICC profile, or null.</param>
/// <param name="BandFormat">libvips band format nickname, e.g. "uchar", "ushort".</param>
/// <param name="Interlaced">An interlaced PNG or progressive JPEG: the loader decodes the whole image at once.</param>
public sealed record ImageHeader(string Loader, int Width, int Height, int PageHeight, int Pages, int Bands, int Orientation = 1,
    string Interpretation = "srgb", byte[]? IccProfile = null, string BandFormat = "uchar", bool Interlaced = false)
{
    /// <summary>Pixels of the first page or frame: what a thumbnail has to decode at most.</summary>
    public long FirstPagePixels => (long)Width * PageHeight;
}
