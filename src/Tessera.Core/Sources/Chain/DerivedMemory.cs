using System.Collections.Concurrent;
using Tessera.Core.Index;

namespace Tessera.Core.Sources.Chain;

/// <summary>What steps derived from their sources, in memory in front of the index: a repeat request reads no
/// SQLite. Writes to the index are best effort; a failed one only means deriving again after a restart.</summary>
internal sealed class DerivedMemory(IDerivedIndex index, int limit)
{
    private readonly ConcurrentDictionary<(string Source, string Step), DerivedOriginal> _memory = new();

    public async Task<DerivedOriginal?> GetAsync(string source, string step, CancellationToken cancellationToken)
    {
        if (_memory.TryGetValue((source, step), out var known))
        {
            return known;
        }

        known = await index.GetDerivedAsync(source, step, cancellationToken).ConfigureAwait(false);
        if (known is not null)
        {
            Remember(known);
        }

        return known;
    }

    public async Task PutAsync(DerivedOriginal derived)
    {
        Remember(derived);
        try
        {
            await index.PutDerivedAsync(derived, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IndexException or IOException)
        {
            // Kept in memory; derived again after a restart.
        }
    }

    /// <summary>Forgets what was derived from these sources: memory and index. Returns the originals' hashes.</summary>
    public Task<IReadOnlyList<string>> ForgetAsync(IReadOnlyCollection<string> sources, CancellationToken cancellationToken)
    {
        foreach (var key in _memory.Keys.Where(k => sources.Contains(k.Source)))
        {
            _memory.TryRemove(key, out _);
        }

        return index.ForgetDerivedAsync(sources, cancellationToken);
    }

    /// <summary>Forgets, in memory only, what was derived from these sources (null: everything): another replica changed the index.</summary>
    public void Drop(IReadOnlyCollection<string>? sources)
    {
        if (sources is null)
        {
            _memory.Clear();
            return;
        }

        foreach (var key in _memory.Keys.Where(k => sources.Contains(k.Source)))
        {
            _memory.TryRemove(key, out _);
        }
    }

    private void Remember(DerivedOriginal derived)
    {
        if (_memory.Count >= limit)
        {
            _memory.Clear();
        }

        _memory[(derived.Source, derived.Step)] = derived;
    }
}
