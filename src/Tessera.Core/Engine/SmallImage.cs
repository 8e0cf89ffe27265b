using System.Buffers;

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
        // Pooled: at 100 × 100 the sums are 320 KB, a large-object allocation (zeroed pages, then returned to the system
        // with a TLB shootdown every other thread pays for) at every rendition otherwise.
        var sumsArray = ArrayPool<long>.Shared.Rent(w * h * 4);
        var countsArray = ArrayPool<int>.Shared.Rent(w * h);
        var sums = sumsArray.AsSpan(0, w * h * 4);
        var counts = countsArray.AsSpan(0, w * h);
        sums.Clear();
        counts.Clear();
        // The source columns of each cell: a run [start[cell], start[cell + 1]), summed in locals (no per-pixel indexing
        // of the sums: this ran for every rendition, 2% of a warm's CPU in a profile).
        var start = new int[w + 1];
        for (var cell = 0; cell <= w; cell++)
        {
            start[cell] = (int)(((long)cell * width + w - 1) / w);
        }

        var grey = bands < 3;
        var alpha = bands is 2 or 4;
        var g = grey ? 0 : 1;
        var b = grey ? 0 : 2;
        var last = bands - 1;
        for (var y = 0; y < height; y++)
        {
            var row = (int)((long)y * h / height) * w;
            var source = pixels.Slice(y * width * bands, width * bands);
            for (var cell = 0; cell < w; cell++)
            {
                long r = 0, gg = 0, bb = 0, a = 0;
                var from = start[cell];
                var to = start[cell + 1];
                var run = source[(from * bands)..(to * bands)];
                for (var at = 0; at < run.Length; at += bands)
                {
                    r += run[at];
                    gg += run[at + g];
                    bb += run[at + b];
                    a += run[at + last];
                }

                var sum = sums.Slice((row + cell) * 4, 4);
                sum[0] += r;
                sum[1] += gg;
                sum[2] += bb;
                sum[3] += alpha ? a : 255L * (to - from);
                counts[row + cell] += to - from;
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

        ArrayPool<long>.Shared.Return(sumsArray);
        ArrayPool<int>.Shared.Return(countsArray);
        return new SmallImage(rgba, w, h);
    }
}
