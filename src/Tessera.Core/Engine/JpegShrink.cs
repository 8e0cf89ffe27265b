namespace Tessera.Core.Engine;

/// <summary>How much a JPEG is shrunk while it is decoded (libjpeg's DCT scaling: 2, 4 or 8), before the resize.
/// libvips 8.14's thumbnail keeps a factor of two for the resize after it ("quality"), so a 4032 × 3024 photo for a
/// 400 px box is decoded at 1008 × 756 and resized by 2.5. Fast (sharp's default, <c>fastShrinkOnLoad</c>) takes the
/// largest factor that still leaves the decoded image a little larger than the box: the same photo
/// is decoded at 504 × 378 and resized by 1.26. Decoding fewer pixels is most of a JPEG thumbnail's cost; the price is
/// a little more fine detail kept through the block shrink (bench/results/latest.md measures it).</summary>
internal static class JpegShrink
{
    /// <summary>The shrink factor a file needs to fit <paramref name="box"/> (at least 1: never upscaled), on the
    /// upright image: an EXIF orientation of 5-8 swaps width and height, as the thumbnail's auto-rotation will.</summary>
    public static double Needed(int width, int height, int orientation, ThumbnailBox box)
    {
        var (w, h) = orientation is >= 5 and <= 8 ? (height, width) : (width, height);
        return Math.Max(1, Math.Max((double)w / box.Width, (double)h / box.Height));
    }

    /// <summary>What vips_thumbnail 8.14 picks: a factor of at least two left for the resize.</summary>
    public static int Vips(double needed) => needed >= 16 ? 8 : needed >= 8 ? 4 : needed >= 4 ? 2 : 1;

    /// <summary>The fast choice: the largest of 8, 4, 2 that <paramref name="needed"/> exceeds by at least 5%. Any factor
    /// up to <paramref name="needed"/> leaves the decoded image at least the box's size (libjpeg rounds scaled sizes up);
    /// the margin keeps a last resize of at least 1.05, so no output side lands a pixel short through rounding.</summary>
    public static int Fast(double needed) => needed >= 8 * Margin ? 8 : needed >= 4 * Margin ? 4 : needed >= 2 * Margin ? 2 : 1;

    private const double Margin = 1.05;
}
