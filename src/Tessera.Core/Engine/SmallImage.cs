namespace Tessera.Core.Engine;

/// <summary>A small 8-bit RGBA image (alpha 255 where the source has none), at most a given side.</summary>
internal sealed record SmallImage(byte[] Rgba, int Width, int Height)
{
    /// <summary>Band-interleaved 8-bit pixels (1–4 bands: grey, grey + alpha, RGB, RGBA) shrunk by area averaging to fit
    /// <paramref name="max"/> × <paramref name="max"/>: every source pixel counts once, in the box it falls in.</summary>
    public static SmallImage Of(ReadOnlySpan<byte> pixels, int width, int height, int bands, int max)
    {
        if (width < 1 || height < 1 || bands is < 1 or > 4 || pixels.Length < (long)width * height * bands || max < 1)
        {
            throw new ArgumentException($"expected {width} × {height} pixels of 1-4 bands");
        }

        var scale = Math.Max(1.0, Math.Max(width, height) / (double)max);
        var w = Math.Clamp((int)Math.Round(width / scale), 1, Math.Min(max, width));
        var h = Math.Clamp((int)Math.Round(height / scale), 1, Math.Min(max, height));
        var sums = new long[w * h * 4];
        var counts = new int[w * h];
        var column = new int[width];
        for (var x = 0; x < width; x++)
        {
            column[x] = (int)((long)x * w / width);
        }

        var grey = bands < 3;
        var alpha = bands is 2 or 4;
        var g = grey ? 0 : 1;
        var b = grey ? 0 : 2;
        for (var y = 0; y < height; y++)
        {
            var row = (int)((long)y * h / height) * w;
            var source = pixels.Slice(y * width * bands, width * bands);
            var sumRow = sums.AsSpan(row * 4, w * 4);
            var countRow = counts.AsSpan(row, w);
            for (int x = 0, at = 0; x < width; x++, at += bands)
            {
                var cell = column[x];
                var sum = sumRow.Slice(cell * 4, 4);
                sum[0] += source[at];
                sum[1] += source[at + g];
                sum[2] += source[at + b];
                sum[3] += alpha ? source[at + bands - 1] : 255;
                countRow[cell]++;
            }
        }

        var rgba = new byte[w * h * 4];
        for (var cell = 0; cell < counts.Length; cell++)
        {
            var n = counts[cell];
            for (var c = 0; c < 4; c++)
            {
                rgba[(cell * 4) + c] = (byte)((sums[(cell * 4) + c] + (n / 2)) / n);
            }
        }

        return new SmallImage(rgba, w, h);
    }
}
