using System.Collections.Concurrent;

namespace Tessera.Core.Cache;

/// <summary>Small, hot renditions in memory under a byte budget. Reads are lock-free (a timestamp per entry);
/// when the budget is passed, the least recently used half is dropped in one sweep.</summary>
public sealed class HotCache(long budgetBytes)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _sweep = new();
    private long _bytes;
    private long _clock;

    public long Bytes => Interlocked.Read(ref _bytes);

    public int Count => _entries.Count;

    public bool TryGet(string key, out byte[] bytes)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.LastUsed = Interlocked.Increment(ref _clock);
            bytes = entry.Bytes;
            return true;
        }

        bytes = [];
        return false;
    }

    public void Put(string key, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length > budgetBytes / 8)
        {
            return; // large renditions are served from disk
        }

        var entry = new Entry(bytes) { LastUsed = Interlocked.Increment(ref _clock) };
        if (_entries.TryAdd(key, entry))
        {
            if (Interlocked.Add(ref _bytes, bytes.Length) > budgetBytes)
            {
                Shrink();
            }
        }
    }

    public void Remove(string key)
    {
        if (_entries.TryRemove(key, out var entry))
        {
            Interlocked.Add(ref _bytes, -entry.Bytes.Length);
        }
    }

    /// <summary>Drops every entry (another replica's change may have made any of them stale).</summary>
    public void Clear()
    {
        foreach (var key in _entries.Keys)
        {
            Remove(key);
        }
    }

    private void Shrink()
    {
        lock (_sweep)
        {
            if (Interlocked.Read(ref _bytes) <= budgetBytes)
            {
                return;
            }

            var byAge = _entries.ToArray();
            Array.Sort(byAge, (a, b) => a.Value.LastUsed.CompareTo(b.Value.LastUsed));
            var target = budgetBytes / 2;
            foreach (var (key, _) in byAge)
            {
                if (Interlocked.Read(ref _bytes) <= target)
                {
                    break;
                }

                Remove(key);
            }
        }
    }

    private sealed class Entry(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;

        public long LastUsed { get; set; }
    }
}
