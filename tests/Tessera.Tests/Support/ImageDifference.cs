using Tessera.Vips;

namespace Tessera.Tests.Support;

/// <summary>How far apart two thumbnails of one picture are.</summary>
internal static class ImageDifference
{
    /// <summary>Mean absolute difference of two RGB images, compared as the mean colours of 8 × 8 cells over the area
    /// they share: the same picture shrunk by two paths may differ by a row, which would misalign single pixels.</summary>
    public static double CellMad(VipsImage a, VipsImage b)
    {
        Assert.True(Math.Abs(a.Width - b.Width) <= 1 && Math.Abs(a.Height - b.Height) <= 1, $"{a.Width}x{a.Height} against {b.Width}x{b.Height}");
        var (pa, pb) = (a.ToPixels(), b.ToPixels());
        var (w, h) = (Math.Min(a.Width, b.Width), Math.Min(a.Height, b.Height));
        double sum = 0;
        var cells = 0;
        for (var cy = 0; cy + 8 <= h; cy += 8)
        {
            for (var cx = 0; cx + 8 <= w; cx += 8, cells++)
            {
                for (var band = 0; band < 3; band++)
                {
                    double ma = 0, mb = 0;
                    for (var y = cy; y < cy + 8; y++)
                    {
                        for (var x = cx; x < cx + 8; x++)
                        {
                            ma += pa[(((y * a.Width) + x) * 3) + band];
                            mb += pb[(((y * b.Width) + x) * 3) + band];
                        }
                    }

                    sum += Math.Abs(ma - mb) / 64 / 3;
                }
            }
        }

        return sum / cells;
    }
}
