namespace Tessera.Core.Stats;

/// <summary>A fixed-bucket histogram of durations, lock-free, in the shape Prometheus expects.</summary>
public sealed class DurationHistogram
{
    /// <summary>Upper bounds in seconds; thumbnails take milliseconds to seconds.</summary>
    public static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly long[] _counts = new long[Bounds.Length + 1];
    private long _sumMicroseconds;

    public void Record(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;
        var i = 0;
        while (i < Bounds.Length && seconds > Bounds[i])
        {
            i++;
        }

        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumMicroseconds, (long)(duration.TotalMilliseconds * 1000));
    }

    /// <summary>Cumulative counts per bound (the last is +Inf), the sum in seconds, and the count.</summary>
    public (long[] Cumulative, double SumSeconds, long Count) Snapshot()
    {
        var cumulative = new long[_counts.Length];
        long running = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Volatile.Read(ref _counts[i]);
            cumulative[i] = running;
        }

        return (cumulative, Interlocked.Read(ref _sumMicroseconds) / 1e6, running);
    }
}
