namespace Tessera.Server.Dashboard;

/// <summary>One minute's totals since the data folder began (hits, misses, …) and the cache's size then; the
/// dashboard draws the differences between neighbours.</summary>
internal sealed record StatsSample(DateTimeOffset At, long Hits, long Misses, long Warmed, long Placeholders, long Bytes, long Renditions);

/// <summary>The last day of <see cref="StatsSample"/>s in memory: a ring of <see cref="Capacity"/>, one a minute
/// (about 80 KB full). Lost on restart, which is fine for a view of the last hours.</summary>
internal sealed class StatsHistory
{
    public const int Capacity = 24 * 60;

    private readonly StatsSample[] _ring = new StatsSample[Capacity];
    private readonly Lock _lock = new();
    private int _next;
    private int _count;

    public void Add(StatsSample sample)
    {
        lock (_lock)
        {
            _ring[_next] = sample;
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    /// <summary>The samples kept, oldest first.</summary>
    public IReadOnlyList<StatsSample> Snapshot()
    {
        lock (_lock)
        {
            var samples = new StatsSample[_count];
            var first = (_next - _count + Capacity) % Capacity;
            for (var i = 0; i < _count; i++)
            {
                samples[i] = _ring[(first + i) % Capacity];
            }

            return samples;
        }
    }
}
