namespace Tessera.Core.Engine;

/// <summary>Where a thumbnail has to fit: inside Width × Height, never upscaled.</summary>
/// <param name="IccToSrgb">Convert an embedded profile (Display P3, Adobe RGB, CMYK) to sRGB through an ICC
/// transform. False skips colour management: right for untagged and sRGB-tagged sources, and cheaper.</param>
internal readonly record struct ThumbnailBox(int Width, int Height, bool IccToSrgb)
{
    /// <summary>The source is CMYK: converted by its profile, or with none by a built-in CMYK profile, perceptually
    /// and with black point compensation, not left to libvips 8.14's thumbnail, which washes it out.</summary>
    public bool Cmyk { get; init; }

    /// <summary>A JPEG's shrink-on-load chosen by Tessera (2, 4 or 8: <see cref="JpegShrink.Fast"/>), decoded at that
    /// scale and then thumbnailed; 0 leaves the choice to vips_thumbnail (every other source, or the same factor).</summary>
    public int JpegShrinkOnLoad { get; init; }

    /// <summary>The JPEG is progressive: at a <see cref="JpegShrinkOnLoad"/> of 8 it is decoded through
    /// <see cref="EighthScaleJpeg"/> (the same pixels, without entropy-decoding the AC scans 1/8 never reads).</summary>
    public bool Progressive { get; init; }
}
