using System.Collections.Concurrent;
using System.Security.Cryptography;
using Tessera.Core.Index;
using Tessera.Core.Journal;
using Tessera.Core.Pipeline;

namespace Tessera.Core.Cache;

/// <summary>Items that could not be thumbnailed, per item (its full path) and source. While an entry holds, the
/// item gets its failure at once: one stat, no read of the source. A stat whose (size, mtime) differs from the
/// entry's means the file changed, and it is retried at once whatever the reason.
/// <para>The whole table is held in memory, loaded at start: it only lists failures, a small share of any library,
/// and holding all of it means a healthy item (the common case) is a dictionary miss, never a SQLite read.
/// A clear or a forget is published on the <see cref="IInvalidationBus"/>, so replicas sharing the index (and a CLI
/// `negatives clear` next to them, on PostgreSQL) drop the entry from memory too; entries other replicas record are
/// seen at the next start.</para></summary>
public sealed class NegativeCache
{
    public const string FileSource = "file";

    /// <summary>What kind of thing an entry is about, from its identity: a library file, an app item (item:), a
    /// provider URL (url:) or a signed remote image (signed:).</summary>
    public static string SourceOf(string item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var colon = item.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && item[..colon] is "item" or "url" or "signed" ? item[..colon] : FileSource;
    }

    private readonly INegativeIndex _index;
    private readonly NegativeCacheOptions _options;
    private readonly ConcurrentDictionary<string, NegativeEntry> _entries;
    private readonly AppJournal? _journal;
    private readonly IInvalidationBus? _bus;

    public NegativeCache(INegativeIndex index, NegativeCacheOptions options, AppJournal? journal = null, IInvalidationBus? bus = null)
    {
        _journal = journal;
        _bus = bus;
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        _index = index;
        _options = options;
        var loaded = index.LoadNegativesAsync(CancellationToken.None).GetAwaiter().GetResult();
        _entries = new(loaded.Select(e => KeyValuePair.Create(e.Item, e)), StringComparer.Ordinal);
        _providerOrder = new(loaded.Where(e => IsProvider(e.Item)).OrderBy(e => e.FirstFailedAt).Select(e => e.Item));
    }

    // Provider entries (item:, url:) in the order they were first recorded; an id may be here after its entry went
    // (or twice), which only makes the bound stricter: every live provider entry has a place in this queue.
    private readonly ConcurrentQueue<string> _providerOrder;

    private static bool IsProvider(string item) => SourceOf(item) is "item" or "url";

    /// <summary>Forgets the oldest provider entries past <see cref="NegativeCacheOptions.MaxProviderEntries"/>.</summary>
    private async Task BoundAsync(CancellationToken cancellationToken)
    {
        while (_options.MaxProviderEntries > 0 && _providerOrder.Count > _options.MaxProviderEntries && _providerOrder.TryDequeue(out var oldest))
        {
            await ForgetAsync(oldest, cancellationToken).ConfigureAwait(false);
        }
    }

    public int Count => _entries.Count;

    /// <summary>The entry that still holds for an item with this stat, or null when it should be tried.</summary>
    public NegativeEntry? Active(string item, (long Size, long MtimeTicks) stat) =>
        _entries.TryGetValue(item, out var e) && e.Size == stat.Size && e.MtimeTicks == stat.MtimeTicks
            && _options.Clock.GetUtcNow() < e.RetryAt ? e : null;

    /// <summary>As <see cref="Active"/>, after reading the item's entry from the index: another replica of a shared
    /// index may have recorded it since this one loaded (its render of a key this one waited for failed).</summary>
    public async Task<NegativeEntry?> RefreshAsync(string item, (long Size, long MtimeTicks) stat, CancellationToken cancellationToken)
    {
        if (await _index.GetNegativeAsync(item, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            _entries[item] = entry;
        }

        return Active(item, stat);
    }

    /// <summary>Records a failure. Attempts count up while the file stays the same; a changed file starts again at 1.
    /// <paramref name="notBefore"/> is a wait the source asked for (a provider's Retry-After): the retry is never sooner.</summary>
    public async Task<NegativeEntry> RecordAsync(string item, (long Size, long MtimeTicks) stat, FailureReason reason, string detail,
        CancellationToken cancellationToken, TimeSpan? notBefore = null)
    {
        var now = _options.Clock.GetUtcNow();
        var same = _entries.TryGetValue(item, out var old) && old.Size == stat.Size && old.MtimeTicks == stat.MtimeTicks;
        var attempts = same ? old!.Attempts + 1 : 1;
        var entry = new NegativeEntry(item, SourceOf(item), reason, detail, attempts, same ? old!.FirstFailedAt : now, now,
            now + Max(Delay(reason, attempts), notBefore ?? TimeSpan.Zero), stat.Size, stat.MtimeTicks);
        var added = !_entries.ContainsKey(item);
        _entries[item] = entry;
        Journal(new JournalRecord(Negative: entry));
        await _index.PutNegativeAsync(entry, cancellationToken).ConfigureAwait(false);
        if (added && IsProvider(item))
        {
            _providerOrder.Enqueue(item);
            await BoundAsync(cancellationToken).ConfigureAwait(false);
        }

        return entry;
    }

    /// <summary>Forgets an item after a success; costs nothing when it was not negative.</summary>
    public async Task ForgetAsync(string item, CancellationToken cancellationToken)
    {
        if (await ForgetQuietlyAsync(item, cancellationToken).ConfigureAwait(false))
        {
            await PublishAsync(null, [item], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> ForgetQuietlyAsync(string item, CancellationToken cancellationToken)
    {
        if (!_entries.TryRemove(item, out _))
        {
            return false;
        }

        Journal(new JournalRecord(Clear: new NegativeClear(null, item)));
        await _index.ClearNegativesAsync(null, item, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The items of the entries whose item starts with a prefix.</summary>
    public IReadOnlyList<string> Items(string prefix) => [.. _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>Forgets every entry whose item starts with a prefix (an app item's roles); returns how many.</summary>
    public async Task<int> ForgetPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var keys = Items(prefix);
        foreach (var key in keys)
        {
            await ForgetQuietlyAsync(key, cancellationToken).ConfigureAwait(false);
        }

        if (keys.Count > 0)
        {
            await PublishAsync(null, keys, cancellationToken).ConfigureAwait(false);
        }

        return keys.Count;
    }

    /// <summary>Operator clear: all entries, those of one reason, or one item. Returns the rows removed.</summary>
    public async Task<int> ClearAsync(FailureReason? reason, string? item, CancellationToken cancellationToken)
    {
        Drop(reason, item is null ? null : [item]);
        Journal(new JournalRecord(Clear: new NegativeClear(reason, item)));
        var cleared = await _index.ClearNegativesAsync(reason, item, cancellationToken).ConfigureAwait(false);
        await PublishAsync(reason, item is null ? null : [item], cancellationToken).ConfigureAwait(false);
        return cleared;
    }

    /// <summary>Forgets entries in memory only (another replica cleared them in the shared index): those of one reason,
    /// these items, both, or (neither) all.</summary>
    public void Drop(FailureReason? reason, IReadOnlyCollection<string>? items)
    {
        foreach (var (key, e) in _entries)
        {
            if ((reason is null || e.Reason == reason) && (items is null || items.Contains(key)))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    /// <summary>Replaces memory with the index's entries (events from other replicas may have been missed).</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var loaded = await _index.LoadNegativesAsync(cancellationToken).ConfigureAwait(false);
        var keep = loaded.Select(e => e.Item).ToHashSet(StringComparer.Ordinal);
        foreach (var key in _entries.Keys.Where(k => !keep.Contains(k)))
        {
            _entries.TryRemove(key, out _);
        }

        foreach (var e in loaded)
        {
            if (_entries.TryAdd(e.Item, e) && IsProvider(e.Item))
            {
                _providerOrder.Enqueue(e.Item);
            }
        }
    }

    private Task PublishAsync(FailureReason? reason, IReadOnlyList<string>? items, CancellationToken cancellationToken) =>
        _bus?.PublishAsync(new InvalidationEvent(InvalidationKind.Negatives, items, reason), cancellationToken) ?? Task.CompletedTask;

    /// <summary>Best effort: a negative entry is a remembered failure, so a full disk must not turn it into an error.</summary>
    private void Journal(JournalRecord record)
    {
        try
        {
            _journal?.Append(record);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The entry still reaches the index; only its survival of a lost index is at risk.
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>NotFound, TooLarge and DecodeFailed depend on the file, so they wait for a change or the re-check;
    /// a timeout or an upstream error may pass on its own, so it backs off exponentially from the base, capped.</summary>
    internal TimeSpan Delay(FailureReason reason, int attempts)
    {
        if (reason == FailureReason.NotFound)
        {
            return _options.NotFoundRecheck;
        }

        if (reason is not (FailureReason.Timeout or FailureReason.UpstreamError))
        {
            return _options.PermanentRecheck;
        }

        var exponent = Math.Min(attempts - 1, 30); // 2^30 minutes is far past any cap
        var delay = TimeSpan.FromTicks((long)Math.Min(_options.TransientBase.Ticks * (double)(1L << exponent), _options.TransientCap.Ticks));
        var jitter = _options.Jitter <= 0 ? 0 : _options.Jitter * RandomNumberGenerator.GetInt32(1001) / 1000.0;
        return delay + delay * jitter;
    }
}
