namespace Tessera.Tests.Support;

/// <summary>Decodes a ThumbHash back to RGBA pixels (at most 32 px on the long side), from the same published
/// description the encoder follows: a test's independent check that the hash carries the image.</summary>
public static class ThumbHashDecoder
{
    public static (int Width, int Height, byte[] Rgba) Decode(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var h24 = hash[0] | (hash[1] << 8) | (hash[2] << 16);
        var h16 = hash[3] | (hash[4] << 8);
        var lDc = (h24 & 63) / 63.0;
        var pDc = (((h24 >> 6) & 63) / 31.5) - 1;
        var qDc = (((h24 >> 12) & 63) / 31.5) - 1;
        var lScale = ((h24 >> 18) & 31) / 31.0;
        var hasAlpha = (h24 >> 23) != 0;
        var pScale = ((h16 >> 3) & 63) / 63.0;
        var qScale = ((h16 >> 9) & 63) / 63.0;
        var landscape = (h16 >> 15) != 0;
        var lMax = hasAlpha ? 5 : 7;
        var lx = Math.Max(3, landscape ? lMax : h16 & 7);
        var ly = Math.Max(3, landscape ? h16 & 7 : lMax);
        var aDc = hasAlpha ? (hash[5] & 15) / 15.0 : 1;
        var aScale = hasAlpha ? (hash[5] >> 4) / 15.0 : 0;
        var start = hasAlpha ? 6 : 5;
        var index = 0;

        double[] Ac(int nx, int ny, double scale)
        {
            var ac = new List<double>();
            for (var cy = 0; cy < ny; cy++)
            {
                for (var cx = cy > 0 ? 0 : 1; cx * ny < nx * (ny - cy); cx++)
                {
                    ac.Add((((hash[start + (index >> 1)] >> ((index & 1) * 4)) & 15) / 7.5 - 1) * scale);
                    index++;
                }
            }

            return [.. ac];
        }

        var lAc = Ac(lx, ly, lScale);
        var pAc = Ac(3, 3, pScale * 1.25);
        var qAc = Ac(3, 3, qScale * 1.25);
        var aAc = hasAlpha ? Ac(5, 5, aScale) : [];

        // The aspect ratio, roughly: the stored coefficient counts.
        var ratio = lx / (double)ly;
        var w = (int)Math.Round(ratio > 1 ? 32 : 32 * ratio);
        var h = (int)Math.Round(ratio > 1 ? 32 / ratio : 32);
        var rgba = new byte[w * h * 4];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var l = lDc + Sum(lAc, lx, ly, x, y, w, h);
                var p = pDc + Sum(pAc, 3, 3, x, y, w, h);
                var q = qDc + Sum(qAc, 3, 3, x, y, w, h);
                var a = aDc + (hasAlpha ? Sum(aAc, 5, 5, x, y, w, h) : 0);
                var b = l - (2.0 / 3 * p);
                var r = ((3 * l) - b + q) / 2;
                var g = r - q;
                var i = ((y * w) + x) * 4;
                rgba[i] = Byte(r);
                rgba[i + 1] = Byte(g);
                rgba[i + 2] = Byte(b);
                rgba[i + 3] = Byte(a);
            }
        }

        return (w, h, rgba);
    }

    /// <summary>The average colour of RGBA pixels, 0-255 per channel.</summary>
    public static (double R, double G, double B) Average(byte[] rgba)
    {
        ArgumentNullException.ThrowIfNull(rgba);
        double r = 0, g = 0, b = 0;
        var n = rgba.Length / 4;
        for (var i = 0; i < n; i++)
        {
            r += rgba[i * 4];
            g += rgba[(i * 4) + 1];
            b += rgba[(i * 4) + 2];
        }

        return (r / n, g / n, b / n);
    }

    private static double Sum(double[] ac, int nx, int ny, int x, int y, int w, int h)
    {
        double sum = 0;
        var j = 0;
        for (var cy = 0; cy < ny; cy++)
        {
            var fy = Math.Cos(Math.PI / h * cy * (y + 0.5)) * 2;
            for (var cx = cy > 0 ? 0 : 1; cx * ny < nx * (ny - cy); cx++, j++)
            {
                sum += ac[j] * Math.Cos(Math.PI / w * cx * (x + 0.5)) * fy;
            }
        }

        return sum;
    }

    private static byte Byte(double unit) => (byte)Math.Clamp(Math.Round(255 * unit), 0, 255);
}
