namespace Tessera.Core.Engine;

/// <summary>What the engine reads from a source's header, before any pixel is decoded.</summary>
/// <param name="Loader">The loader that recognised it, e.g. "jpegload", "svgload_buffer".</param>
/// <param name="PageHeight">Height of one page or frame; equals Height for single-page images.</param>
/// <param name="Interpretation">How the pixels are coded, e.g. "srgb", "cmyk", "b-w".</param>
/// <param name="IccProfile">The embedded ICC profile, or null.</param>
internal sealed record SourceHeader(string Loader, int Width, int Height, int PageHeight, string Interpretation, byte[]? IccProfile)
{
    /// <summary>The EXIF orientation tag (1–8), 1 when absent.</summary>
    public int Orientation { get; init; } = 1;

    /// <summary>Pixels of the first page or frame: what a thumbnail has to decode at most.</summary>
    public long FirstPagePixels => (long)Width * PageHeight;

    public int Bands { get; init; } = 3;

    public int BytesPerSample { get; init; } = 1;

    /// <summary>An interlaced PNG or progressive JPEG, which the loader decodes whole.</summary>
    public bool Interlaced { get; init; }
}
