using System.Collections.Concurrent;
using Tessera.Core.Index;

namespace Tessera.Core.Eviction;

/// <summary>Last access per rendition key, kept in memory and written to the index in one transaction per flush,
/// so a cache hit never waits on a database write.</summary>
public sealed class AccessTracker(TimeProvider clock)
{
    // A long value is written in place for a key already present, so a repeat hit allocates nothing.
    private readonly ConcurrentDictionary<string, long> _pending = new(StringComparer.Ordinal);

    public int PendingCount => _pending.Count;

    /// <summary>Notes a hit. Lock-free; Unix seconds, the unit of renditions.last_access.</summary>
    public void Touch(string key) => _pending[key] = clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Writes pending access times to the index. Returns how many keys were written.</summary>
    public async Task<int> FlushAsync(IEvictionIndex index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        var taken = _pending.ToArray();
        if (taken.Length == 0)
        {
            return 0;
        }

        foreach (var entry in taken)
        {
            // Removes only if no newer hit came in meanwhile; a newer one stays for the next flush.
            _pending.TryRemove(entry);
        }

        try
        {
            await index.TouchAsync(taken, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            foreach (var (key, at) in taken)
            {
                _pending.AddOrUpdate(key, at, (_, newer) => Math.Max(newer, at));
            }

            throw;
        }

        return taken.Length;
    }
}
