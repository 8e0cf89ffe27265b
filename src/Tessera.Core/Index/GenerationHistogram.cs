namespace Tessera.Core.Index;

/// <summary>Fixed log-spaced buckets for generation times, so percentiles need no scan of the renditions. Bucket 0
/// holds [0, 1 ms), bucket i holds [Bounds[i-1], Bounds[i]), the last holds everything from 5 min up. Each bucket is
/// 12% wider than the one before, so a percentile between 1 ms and 5 min is within 12% of the exact value
/// (interpolated linearly inside its bucket). The bounds are part of the stored format: changing them needs a
/// migration that refills the histogram.</summary>
public static class GenerationHistogram
{
    private const double First = 1.0;
    private const double Ratio = 1.12;
    private const double Last = 300_000.0;

    /// <summary>Upper bounds (exclusive) in milliseconds of every bucket but the last, rounded to 3 decimals.</summary>
    public static IReadOnlyList<double> Bounds { get; } = MakeBounds();

    /// <summary>How many buckets there are: one per bound and one above the last.</summary>
    public static int Buckets => Bounds.Count + 1;

    public static int BucketOf(double ms)
    {
        var i = 0;
        while (i < Bounds.Count && ms >= Bounds[i])
        {
            i++;
        }

        return i;
    }

    /// <summary>The p-quantile (0..1) of the times counted per bucket, or null when nothing was counted. The rank is
    /// the one a sorted list would give, ceil(p × count).</summary>
    public static double? Percentile(IReadOnlyDictionary<int, long> counts, double p)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var total = counts.Values.Sum();
        if (total <= 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(p * total));
        long below = 0;
        foreach (var (bucket, count) in counts.Where(kv => kv.Value > 0).OrderBy(kv => kv.Key))
        {
            if (below + count >= rank)
            {
                var lower = bucket == 0 ? 0 : Bounds[bucket - 1];
                if (bucket >= Bounds.Count)
                {
                    return lower; // open-ended: nothing better than its floor
                }

                return lower + ((Bounds[bucket] - lower) * (rank - below) / count);
            }

            below += count;
        }

        return null;
    }

    private static double[] MakeBounds()
    {
        var bounds = new List<double>();
        for (var b = First; b < Last * Ratio; b *= Ratio)
        {
            bounds.Add(Math.Round(Math.Min(b, Last), 3));
            if (b >= Last)
            {
                break;
            }
        }

        return [.. bounds.Distinct()];
    }
}
