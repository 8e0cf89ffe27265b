using Tessera.Core.Index;

namespace Tessera.Core.Eviction;

/// <summary>The least-recently-used walk behind eviction and cleanup's size cap: the oldest renditions a page at a
/// time, handed to a remover, until a byte target is freed or none are left.</summary>
internal sealed class LruWalk(IEvictionIndex index, int pageSize)
{
    /// <summary>The page after a (last_access, key) cursor. Without it each page is the oldest rows still there,
    /// which is right when every page is removed; a dry run removes nothing, so it pages past what it has seen.</summary>
    public Func<long, string, int, CancellationToken, Task<IReadOnlyList<EvictionCandidate>>>? PageAfter { get; init; }

    /// <summary>Rows the walk passes over without choosing them (those a dry run has already counted).</summary>
    public Func<string, bool>? Skip { get; init; }

    /// <summary>Frees at least <paramref name="need"/> bytes, or all there are, but never more than
    /// <paramref name="most"/> (it stops before the rendition that would pass it). <paramref name="remove"/> returns
    /// what it really removed (another remover may have been first); the result sums those.</summary>
    public async Task<EvictionResult> RunAsync(long need,
        Func<List<StoredKey>, CancellationToken, Task<IReadOnlyList<StoredKey>>> remove, CancellationToken cancellationToken,
        long most = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(remove);
        long freed = 0;
        var count = 0;
        var (lastAccess, key) = (long.MinValue, string.Empty);
        while (freed < need)
        {
            var page = PageAfter is null
                ? await index.OldestAsync(pageSize, cancellationToken).ConfigureAwait(false)
                : await PageAfter(lastAccess, key, pageSize, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            var chosen = new List<StoredKey>();
            var planned = freed;
            var capped = false;
            foreach (var c in page)
            {
                if (planned >= need)
                {
                    break;
                }

                if (planned + c.Bytes > most)
                {
                    capped = true;
                    break;
                }

                (lastAccess, key) = (c.LastAccess, c.Key);
                if (Skip?.Invoke(c.Key) != true)
                {
                    chosen.Add(new StoredKey(c.Key, c.Extension, c.Bytes));
                    planned += c.Bytes;
                }
            }

            var removed = await remove(chosen, cancellationToken).ConfigureAwait(false);
            count += removed.Count;
            freed += removed.Sum(r => r.Bytes);
            if (capped)
            {
                break;
            }
        }

        return new EvictionResult(count, freed);
    }
}
