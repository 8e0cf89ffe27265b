using System.Collections.Concurrent;
using Tessera.Core.Pipeline;

namespace Tessera.Core.Cache;

/// <summary>Remembers, in memory, rendition keys whose source could not be thumbnailed, so a broken or
/// hostile file is not decoded again on every request. Keys are content-addressed: a changed file has a new
/// key and is tried at once.</summary>
public sealed class FailureMemory(TimeProvider clock)
{
    private const int Limit = 100_000;
    private readonly ConcurrentDictionary<string, Entry> _failures = new(StringComparer.Ordinal);

    public int Count => _failures.Count;

    public void Remember(string key, FailureReason reason, string detail)
    {
        if (_failures.Count >= Limit)
        {
            _failures.Clear();
        }

        var ttl = reason == FailureReason.NotFound ? TimeSpan.FromMinutes(10) : TimeSpan.FromHours(1);
        _failures[key] = new Entry(reason, detail, clock.GetUtcNow() + ttl);
    }

    public bool TryGet(string key, out FailureReason reason, out string detail)
    {
        if (_failures.TryGetValue(key, out var e))
        {
            if (e.Until > clock.GetUtcNow())
            {
                (reason, detail) = (e.Reason, e.Detail);
                return true;
            }

            _failures.TryRemove(key, out _);
        }

        (reason, detail) = (default, string.Empty);
        return false;
    }

    private sealed record Entry(FailureReason Reason, string Detail, DateTimeOffset Until);
}
