using System.Collections.Concurrent;
using Tessera.Core.Presets;

namespace Tessera.Core.Cache;

/// <summary>Rendition keys already computed, by (content hash, preset, format): every request of a thumbnail computes
/// its key, and a hit otherwise built the preset's canonical string and the hashed text and ran SHA-256 through
/// OpenSSL each time (2-3% of a hit's CPU in a profile). Bounded: past <see cref="Capacity"/> keys it starts again
/// empty, so a library larger than that costs a recomputation now and then, never memory.</summary>
public sealed class RenditionKeyMemo
{
    public const int Capacity = 65_536;

    private readonly ConcurrentDictionary<(string Hash, Preset Preset, OutputFormat Format), RenditionKey> _keys = new();
    private int _count;

    public RenditionKey Get(string contentHash, Preset preset, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var entry = (contentHash, preset, format);
        if (_keys.TryGetValue(entry, out var key))
        {
            return key;
        }

        key = RenditionKey.Compute(contentHash, preset.CanonicalString(format));
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            _keys.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        _keys[entry] = key;
        return key;
    }
}
