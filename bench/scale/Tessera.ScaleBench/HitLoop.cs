using System.Diagnostics;
using Tessera.Core.Presets;

/// <summary>Cache hits by key from concurrent tasks: <see cref="Lookups"/> of them, or until stopped.</summary>
internal static class HitLoop
{
    public const int Lookups = 20_000;
    public const int Workers = 8;

    public static async Task WarmAsync(BenchCache cache, List<string> hot)
    {
        foreach (var key in hot)
        {
            if (await cache.Service.GetByKeyAsync(key, OutputFormat.WebP).ConfigureAwait(false) is null)
            {
                throw new InvalidOperationException($"hot key {key} missed during warm-up");
            }
        }
    }

    /// <summary>Workers tasks take lookups from a shared counter until total is reached or stop is cancelled.</summary>
    public static async Task<HitStats> RunAsync(BenchCache cache, List<string> hot, int total, CancellationToken? stop)
    {
        var next = -1;
        var misses = 0;
        var sw = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var mine = new List<double>();
            var rng = new Random(w);
            while (stop is not { IsCancellationRequested: true })
            {
                if (Interlocked.Increment(ref next) >= total)
                {
                    break;
                }

                var key = hot[rng.Next(hot.Count)];
                var t0 = Stopwatch.GetTimestamp();
                var r = await cache.Service.GetByKeyAsync(key, OutputFormat.WebP).ConfigureAwait(false);
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                if (r is null)
                {
                    Interlocked.Increment(ref misses);
                }
            }

            return mine;
        })).ToArray();
        var lists = await Task.WhenAll(tasks).ConfigureAwait(false);
        var seconds = sw.Elapsed.TotalSeconds;
        var all = lists.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new HitStats(all.Length, misses, Measure.Pct(all, 0.50), Measure.Pct(all, 0.99), all.Length == 0 ? 0 : all[^1], all.Length / seconds,
            all.Count(x => x > 1), all.Count(x => x > 10), all.Count(x => x > 100));
    }
}

internal sealed record HitStats(int Count, int Misses, double P50, double P99, double Max, double PerSecond, int Over1, int Over10, int Over100)
{
    public string Row(string label) =>
        FormattableString.Invariant($"| {label} | {Count:N0} | {Misses} | {P50:F3} ms | {P99:F3} ms | {Max:F2} ms | {Over1:N0} | {Over10:N0} | {Over100:N0} | {PerSecond:N0} |");
}
