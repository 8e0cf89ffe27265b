namespace Tessera.Core.Pipeline;

/// <summary>A ThumbHash-style placeholder (after Evan Wallace's published description): the image, at most 100 × 100,
/// in a luminance channel and two chroma channels (and alpha when there is any), each reduced to its lowest DCT
/// coefficients, quantised to 4 bits and packed with a 5- or 6-byte header. Landscape or portrait and the rough aspect
/// ratio travel in the header, so a client can decode it into a blurred image of the right shape. At most 25 bytes.</summary>
public static class ThumbHash
{
    public const int MaxSide = 100;

    /// <summary>The hash of <paramref name="width"/> × <paramref name="height"/> RGBA pixels (8 bits each, not premultiplied).</summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgba)
    {
        if (width is < 1 or > MaxSide || height is < 1 or > MaxSide || rgba.Length < width * height * 4)
        {
            throw new ArgumentException($"expected 1-{MaxSide} × 1-{MaxSide} RGBA pixels");
        }

        var (avgR, avgG, avgB, avgA) = Average(width, height, rgba);
        var n = width * height;
        var hasAlpha = avgA < n;
        var limit = hasAlpha ? 5 : 7;
        var longest = Math.Max(width, height);
        var lx = Math.Max(1, Round(limit * width / (double)longest));
        var ly = Math.Max(1, Round(limit * height / (double)longest));

        // Composited onto the average colour, so transparent pixels do not drag the colour towards black.
        var l = new double[n];
        var p = new double[n];
        var q = new double[n];
        var a = new double[n];
        for (var i = 0; i < n; i++)
        {
            var alpha = rgba[(i * 4) + 3] / 255.0;
            var r = (avgR * (1 - alpha)) + (alpha / 255.0 * rgba[i * 4]);
            var g = (avgG * (1 - alpha)) + (alpha / 255.0 * rgba[(i * 4) + 1]);
            var b = (avgB * (1 - alpha)) + (alpha / 255.0 * rgba[(i * 4) + 2]);
            l[i] = (r + g + b) / 3;
            p[i] = ((r + g) / 2) - b;
            q[i] = r - g;
            a[i] = alpha;
        }

        var lc = Channel.Of(l, width, height, Math.Max(lx, 3), Math.Max(ly, 3));
        var pc = Channel.Of(p, width, height, 3, 3);
        var qc = Channel.Of(q, width, height, 3, 3);
        var ac = hasAlpha ? Channel.Of(a, width, height, 5, 5) : null;

        var landscape = width > height;
        var header24 = Round(63 * lc.Dc) | (Round(31.5 + (31.5 * pc.Dc)) << 6) | (Round(31.5 + (31.5 * qc.Dc)) << 12)
            | (Round(31 * lc.Scale) << 18) | ((hasAlpha ? 1 : 0) << 23);
        var header16 = (landscape ? ly : lx) | (Round(63 * pc.Scale) << 3) | (Round(63 * qc.Scale) << 9) | ((landscape ? 1 : 0) << 15);
        var channels = ac is null ? new[] { lc, pc, qc } : [lc, pc, qc, ac];
        var start = hasAlpha ? 6 : 5;
        var acCount = channels.Sum(c => c.Ac.Length);
        var hash = new byte[start + ((acCount + 1) / 2)];
        hash[0] = (byte)header24;
        hash[1] = (byte)(header24 >> 8);
        hash[2] = (byte)(header24 >> 16);
        hash[3] = (byte)header16;
        hash[4] = (byte)(header16 >> 8);
        if (ac is not null)
        {
            hash[5] = (byte)(Round(15 * ac.Dc) | (Round(15 * ac.Scale) << 4));
        }

        var index = 0;
        foreach (var channel in channels)
        {
            foreach (var f in channel.Ac)
            {
                hash[start + (index >> 1)] |= (byte)(Round(15 * f) << ((index & 1) * 4));
                index++;
            }
        }

        return hash;
    }

    /// <summary>The alpha-weighted average colour, 0–1 per channel, and the summed alpha (0–pixels).</summary>
    internal static (double R, double G, double B, double A) Average(int width, int height, ReadOnlySpan<byte> rgba)
    {
        double r = 0, g = 0, b = 0, a = 0;
        for (var i = 0; i < width * height; i++)
        {
            var alpha = rgba[(i * 4) + 3] / 255.0;
            r += alpha / 255.0 * rgba[i * 4];
            g += alpha / 255.0 * rgba[(i * 4) + 1];
            b += alpha / 255.0 * rgba[(i * 4) + 2];
            a += alpha;
        }

        return a > 0 ? (r / a, g / a, b / a, a) : (0, 0, 0, 0);
    }

    private static int Round(double value) => (int)Math.Round(value, MidpointRounding.AwayFromZero);

    /// <summary>One channel's DC term and its AC terms (a triangle of the lowest frequencies), mapped to 0–1 by their scale.</summary>
    private sealed record Channel(double Dc, double[] Ac, double Scale)
    {
        /// <summary>The DCT is separable: each horizontal frequency's row sums are computed once and shared by every
        /// vertical frequency, so a channel costs about nx passes over the pixels rather than one per coefficient.</summary>
        public static Channel Of(double[] values, int width, int height, int nx, int ny)
        {
            double dc = 0, scale = 0;
            var ac = new List<double>();
            var rows = new double[nx][];
            var cosX = new double[width];
            for (var cx = 0; cx < nx; cx++)
            {
                for (var x = 0; x < width; x++)
                {
                    cosX[x] = Math.Cos(Math.PI / width * cx * (x + 0.5));
                }

                var row = rows[cx] = new double[height];
                for (var y = 0; y < height; y++)
                {
                    double sum = 0;
                    var line = values.AsSpan(y * width, width);
                    for (var x = 0; x < width; x++)
                    {
                        sum += line[x] * cosX[x];
                    }

                    row[y] = sum;
                }
            }

            for (var cy = 0; cy < ny; cy++)
            {
                for (var cx = 0; cx * ny < nx * (ny - cy); cx++)
                {
                    double f = 0;
                    var row = rows[cx];
                    for (var y = 0; y < height; y++)
                    {
                        f += row[y] * Math.Cos(Math.PI / height * cy * (y + 0.5));
                    }

                    f /= width * height;
                    if (cx > 0 || cy > 0)
                    {
                        ac.Add(f);
                        scale = Math.Max(scale, Math.Abs(f));
                    }
                    else
                    {
                        dc = f;
                    }
                }
            }

            var normalised = scale > 0 ? ac.Select(f => 0.5 + (0.5 / scale * f)).ToArray() : [.. ac.Select(_ => 0.5)];
            return new Channel(dc, normalised, scale);
        }
    }
}
