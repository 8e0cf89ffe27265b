namespace Tessera.Core.Index;

/// <summary>The items apps register by id: their aliases and, per role, where their images come from.</summary>
public interface IItemIndex
{
    /// <summary>The canonical item an id is an alias of, or null when it is no alias.</summary>
    Task<ItemRef?> GetAliasAsync(string library, string itemKey, CancellationToken cancellationToken);

    /// <summary>Points aliases at an item. Aliases of an alias follow it, so chains never form.</summary>
    Task PutAliasesAsync(string library, ItemRef item, IReadOnlyList<ItemRef> aliases, CancellationToken cancellationToken);

    Task<IReadOnlyList<ItemRef>> ListAliasesAsync(string library, string itemKey, CancellationToken cancellationToken);

    /// <summary>The canonical items of many ids at once (one or a few queries); ids that are no alias are absent.</summary>
    Task<IReadOnlyDictionary<string, ItemRef>> GetAliasesAsync(string library, IReadOnlyCollection<string> itemKeys, CancellationToken cancellationToken);

    /// <summary>Many items' registrations for one role at once (one or a few queries); items without one are absent.</summary>
    Task<IReadOnlyDictionary<string, ItemRegistration>> GetRegistrationsAsync(string library, IReadOnlyCollection<string> itemKeys, string role,
        CancellationToken cancellationToken);

    Task<ItemRegistration?> GetRegistrationAsync(string library, string itemKey, string role, CancellationToken cancellationToken);

    Task<IReadOnlyList<ItemRegistration>> ListRegistrationsAsync(string library, string itemKey, CancellationToken cancellationToken);

    /// <summary>Stores (or, with no sources and no path, removes) an item's sources for one role.</summary>
    Task PutRegistrationAsync(ItemRegistration registration, CancellationToken cancellationToken);

    /// <summary>Applies changes in order, all or none: bulk registration and journal replay.</summary>
    Task ApplyAsync(IReadOnlyList<ItemChange> changes, CancellationToken cancellationToken);

    /// <summary>A library's items (those with a registration or an alias), in key order, after <paramref name="afterKey"/>.</summary>
    Task<IReadOnlyList<ItemRef>> ListItemsAsync(string library, string? afterKey, int limit, CancellationToken cancellationToken);
}

/// <summary>One change to the items of a library, as the journal records it: a registration stored or removed
/// (<see cref="Registration"/>), aliases pointed at an item, one alias removed, or an item purged with its aliases.</summary>
public sealed record ItemChange(ItemChangeKind Kind, string Library, ItemRef Item, ItemRegistration? Registration = null,
    IReadOnlyList<ItemRef>? Aliases = null);

public enum ItemChangeKind
{
    Register,
    Aliases,
    RemoveAlias,
    Purge,
}

/// <summary>An item by key (the hash of its id within a library) and the id it was known by.</summary>
public sealed record ItemRef(string Key, string Id);

/// <summary>Where an item's image for one role comes from: provider URLs in order, and optionally a file in the
/// library's folder whose chain (embedded art, sidecar, the file) is tried first.</summary>
public sealed record ItemRegistration(string Library, ItemRef Item, string Role, IReadOnlyList<string> Sources, string? Path, DateTimeOffset UpdatedAt);
