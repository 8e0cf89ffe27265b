using Tessera.Core.Index;
using Tessera.Core.Journal;

namespace Tessera.Core.Items;

/// <summary>Items apps name by their own ids: aliases that make several ids one item (so one cover is never cached
/// twice under two names), and per-role sources registered for an item.</summary>
public sealed class ItemRegistry(IItemIndex index, AppJournal journal, TimeProvider clock, IInvalidationBus? bus = null)
{
    public const int MaxSources = 10;
    private const int MemoryLimit = 100_000;

    // What a (library, id, role) resolves to, so a hit on /i/ reads no SQLite. Every write clears it here and, through
    // the invalidation bus, on every replica sharing the index: writes are rare, reads are every image view.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string, string), (ItemRef, ItemRegistration?)> _resolved = new();

    /// <summary>The item an id names and its registration for a role, from memory after the first time.</summary>
    public async Task<(ItemRef Item, ItemRegistration? Registration)> ResolveAsync(string library, string normalizedId, string role, CancellationToken cancellationToken)
    {
        if (_resolved.TryGetValue((library, normalizedId, role), out var known))
        {
            return known;
        }

        var item = await CanonicalAsync(library, normalizedId, cancellationToken).ConfigureAwait(false);
        var resolved = (item, await GetAsync(library, item, role, cancellationToken).ConfigureAwait(false));
        if (_resolved.Count >= MemoryLimit)
        {
            await ChangedAsync(library, cancellationToken).ConfigureAwait(false);
        }

        _resolved[(library, normalizedId, role)] = resolved;
        return resolved;
    }

    /// <summary>As <see cref="ResolveAsync"/> for many ids at once: what memory does not hold is read in two batched
    /// queries (aliases, then registrations), not per id.</summary>
    public async Task<IReadOnlyList<(ItemRef Item, ItemRegistration? Registration)>> ResolveManyAsync(string library, IReadOnlyList<string> normalizedIds,
        string role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(normalizedIds);
        var resolved = new (ItemRef Item, ItemRegistration? Registration)[normalizedIds.Count];
        var unknown = Enumerable.Range(0, normalizedIds.Count).Where(i => !_resolved.TryGetValue((library, normalizedIds[i], role), out resolved[i])).ToList();
        if (unknown.Count == 0)
        {
            return resolved;
        }

        var keys = unknown.Select(i => ItemIds.Key(normalizedIds[i])).ToList();
        var aliases = await index.GetAliasesAsync(library, keys, cancellationToken).ConfigureAwait(false);
        var items = keys.Select((key, n) => aliases.GetValueOrDefault(key) ?? new ItemRef(key, normalizedIds[unknown[n]])).ToList();
        var registrations = await index.GetRegistrationsAsync(library, [.. items.Select(x => x.Key)], role, cancellationToken).ConfigureAwait(false);
        for (var n = 0; n < unknown.Count; n++)
        {
            resolved[unknown[n]] = (items[n], registrations.GetValueOrDefault(items[n].Key));
        }

        return resolved;
    }

    /// <summary>The item an id stands for: the item it is an alias of, or itself.</summary>
    public async Task<ItemRef> CanonicalAsync(string library, string normalizedId, CancellationToken cancellationToken)
    {
        var key = ItemIds.Key(normalizedId);
        return await index.GetAliasAsync(library, key, cancellationToken).ConfigureAwait(false) ?? new ItemRef(key, normalizedId);
    }

    /// <summary>Makes each alias id name the same item as <paramref name="normalizedId"/>. An id with sources of its
    /// own cannot silently become an alias: that would drop them.</summary>
    public async Task<ItemRef> AddAliasesAsync(string library, string normalizedId, IReadOnlyList<string> normalizedAliases, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(normalizedAliases);
        var item = await CanonicalAsync(library, normalizedId, cancellationToken).ConfigureAwait(false);
        var refs = new List<ItemRef>();
        foreach (var alias in normalizedAliases.Distinct(StringComparer.Ordinal))
        {
            var aliasRef = new ItemRef(ItemIds.Key(alias), alias);
            if (aliasRef.Key == item.Key)
            {
                continue;
            }

            if ((await index.ListRegistrationsAsync(library, aliasRef.Key, cancellationToken).ConfigureAwait(false)).Count > 0)
            {
                throw new ItemConflictException($"'{alias}' has sources of its own; register them on '{item.Id}' instead, then alias it");
            }

            refs.Add(aliasRef);
        }

        journal.Append(new JournalRecord(new ItemChange(ItemChangeKind.Aliases, library, item, Aliases: refs)));
        await index.PutAliasesAsync(library, item, refs, cancellationToken).ConfigureAwait(false);
        await ChangedAsync(library, cancellationToken).ConfigureAwait(false);
        return item;
    }

    /// <summary>Registers (or with no sources and no path, removes) where an item's image for a role comes from.</summary>
    public async Task<ItemRegistration> PutAsync(string library, string normalizedId, string role, IReadOnlyList<string> sources, string? path,
        CancellationToken cancellationToken)
    {
        var item = await CanonicalAsync(library, normalizedId, cancellationToken).ConfigureAwait(false);
        var registration = new ItemRegistration(library, item, role, sources, path, clock.GetUtcNow());
        journal.Append(new JournalRecord(new ItemChange(ItemChangeKind.Register, library, item, registration)));
        await index.PutRegistrationAsync(registration, cancellationToken).ConfigureAwait(false);
        await ChangedAsync(library, cancellationToken).ConfigureAwait(false);
        return registration;
    }

    /// <summary>Registers many items in one journal write and one index transaction. Each entry's id is its own
    /// (aliases are not followed: a bulk load names canonical items), and its aliases point at it.</summary>
    public async Task<int> PutManyAsync(string library, IReadOnlyList<BulkItem> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var now = clock.GetUtcNow();
        var changes = new List<ItemChange>(entries.Count * 2);
        foreach (var e in entries)
        {
            var item = new ItemRef(ItemIds.Key(e.NormalizedId), e.NormalizedId);
            if (e.Sources.Count > 0 || e.Path is not null)
            {
                changes.Add(new ItemChange(ItemChangeKind.Register, library, item, new ItemRegistration(library, item, e.Role, e.Sources, e.Path, now)));
            }

            if (e.NormalizedAliases.Count > 0)
            {
                changes.Add(new ItemChange(ItemChangeKind.Aliases, library, item,
                    Aliases: [.. e.NormalizedAliases.Select(a => new ItemRef(ItemIds.Key(a), a)).Where(a => a.Key != item.Key)]));
            }
        }

        journal.Append(changes.Select(c => new JournalRecord(c)));
        await index.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
        await ChangedAsync(library, cancellationToken).ConfigureAwait(false);
        return changes.Count;
    }

    /// <summary>Removes an item's registrations and every alias of it; returns the item it was.</summary>
    public async Task<ItemRef> PurgeAsync(string library, string normalizedId, CancellationToken cancellationToken)
    {
        var item = await CanonicalAsync(library, normalizedId, cancellationToken).ConfigureAwait(false);
        var change = new ItemChange(ItemChangeKind.Purge, library, item);
        journal.Append(new JournalRecord(change));
        await index.ApplyAsync([change], cancellationToken).ConfigureAwait(false);
        await ChangedAsync(library, cancellationToken).ConfigureAwait(false);
        return item;
    }

    /// <summary>Removes one alias; false when the id was no alias.</summary>
    public async Task<bool> RemoveAliasAsync(string library, string normalizedAlias, CancellationToken cancellationToken)
    {
        var alias = new ItemRef(ItemIds.Key(normalizedAlias), normalizedAlias);
        if (await index.GetAliasAsync(library, alias.Key, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        var change = new ItemChange(ItemChangeKind.RemoveAlias, library, alias);
        journal.Append(new JournalRecord(change));
        await index.ApplyAsync([change], cancellationToken).ConfigureAwait(false);
        await ChangedAsync(library, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task ChangedAsync(string library, CancellationToken cancellationToken)
    {
        _resolved.Clear();
        if (bus is not null)
        {
            await bus.PublishAsync(new InvalidationEvent(InvalidationKind.Items, Library: library), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Forgets every resolved id (another replica changed items): the next resolve reads the index.</summary>
    public void DropMemory() => _resolved.Clear();

    /// <summary>A page of a library's items in key order, after the key <paramref name="after"/>.</summary>
    public Task<IReadOnlyList<ItemRef>> ListAsync(string library, string? after, int limit, CancellationToken cancellationToken) =>
        index.ListItemsAsync(library, after, limit, cancellationToken);

    public Task<ItemRegistration?> GetAsync(string library, ItemRef item, string role, CancellationToken cancellationToken) =>
        index.GetRegistrationAsync(library, item.Key, role, cancellationToken);

    public async Task<ItemDescription> DescribeAsync(string library, string normalizedId, CancellationToken cancellationToken)
    {
        var item = await CanonicalAsync(library, normalizedId, cancellationToken).ConfigureAwait(false);
        return new ItemDescription(item,
            await index.ListAliasesAsync(library, item.Key, cancellationToken).ConfigureAwait(false),
            await index.ListRegistrationsAsync(library, item.Key, cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>One entry of a bulk registration: normalised id and aliases, a role, its sources and optional path.</summary>
public sealed record BulkItem(string NormalizedId, string Role, IReadOnlyList<string> Sources, string? Path, IReadOnlyList<string> NormalizedAliases);

public sealed record ItemDescription(ItemRef Item, IReadOnlyList<ItemRef> Aliases, IReadOnlyList<ItemRegistration> Registrations);

/// <summary>A registration that would lose data, answered with 409.</summary>
public sealed class ItemConflictException : Exception
{
    public ItemConflictException() { }

    public ItemConflictException(string message) : base(message) { }

    public ItemConflictException(string message, Exception innerException) : base(message, innerException) { }
}
