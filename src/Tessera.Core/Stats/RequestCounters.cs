namespace Tessera.Core.Stats;

/// <summary>Lock-free counters; the part not yet written to the index is taken by a periodic flush.</summary>
public sealed class RequestCounters(TesseraMetrics? metrics = null)
{
    private static readonly Counter[] All = Enum.GetValues<Counter>();
    private readonly long[] _pending = new long[All.Length];

    public void Increment(Counter counter)
    {
        Interlocked.Increment(ref _pending[(int)counter]);
        metrics?.Count(counter);
    }

    /// <summary>Writes the pending counts to the index; on failure they are kept for the next flush.</summary>
    public async Task FlushAsync(Index.IStatsIndex index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        var taken = Take();
        try
        {
            await index.AddCountersAsync(taken, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Restore(taken);
            throw;
        }
    }

    /// <summary>Counts not yet flushed, by name.</summary>
    public IReadOnlyDictionary<string, long> Pending() =>
        All.Where(c => Volatile.Read(ref _pending[(int)c]) != 0).ToDictionary(Name, c => Volatile.Read(ref _pending[(int)c]));

    /// <summary>Takes the pending counts (they are then the caller's to persist).</summary>
    public IReadOnlyDictionary<string, long> Take()
    {
        var taken = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var c in All)
        {
            var v = Interlocked.Exchange(ref _pending[(int)c], 0);
            if (v != 0)
            {
                taken[Name(c)] = v;
            }
        }

        return taken;
    }

    /// <summary>Gives counts back after a failed flush.</summary>
    public void Restore(IReadOnlyDictionary<string, long> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        foreach (var c in All)
        {
            if (taken.TryGetValue(Name(c), out var v))
            {
                Interlocked.Add(ref _pending[(int)c], v);
            }
        }
    }

    public static string Name(Counter counter) => counter.ToString().ToLowerInvariant();
}
