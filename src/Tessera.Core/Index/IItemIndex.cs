namespace Tessera.Core.Index;

/// <summary>What the source chain remembers between requests: originals derived from a source (an embedded cover,
/// a video frame, a download) and the items apps register by id, with their aliases.</summary>
public interface IItemIndex
{
    /// <summary>What a step derived from a source (a media file's content hash, or a URL), or null when never tried.</summary>
    Task<DerivedOriginal?> GetDerivedAsync(string source, string stepName, CancellationToken cancellationToken);

    Task PutDerivedAsync(DerivedOriginal derived, CancellationToken cancellationToken);

    /// <summary>Forgets what was derived from these sources; returns the originals' hashes that were named.</summary>
    Task<IReadOnlyList<string>> ForgetDerivedAsync(IReadOnlyCollection<string> sources, CancellationToken cancellationToken);

    /// <summary>The canonical item an id is an alias of, or null when it is no alias.</summary>
    Task<ItemRef?> GetAliasAsync(string library, string itemKey, CancellationToken cancellationToken);

    /// <summary>Points aliases at an item. Aliases of an alias follow it, so chains never form.</summary>
    Task PutAliasesAsync(string library, ItemRef item, IReadOnlyList<ItemRef> aliases, CancellationToken cancellationToken);

    Task<IReadOnlyList<ItemRef>> ListAliasesAsync(string library, string itemKey, CancellationToken cancellationToken);

    Task<ItemRegistration?> GetRegistrationAsync(string library, string itemKey, string role, CancellationToken cancellationToken);

    Task<IReadOnlyList<ItemRegistration>> ListRegistrationsAsync(string library, string itemKey, CancellationToken cancellationToken);

    /// <summary>Stores (or, with no sources and no path, removes) an item's sources for one role.</summary>
    Task PutRegistrationAsync(ItemRegistration registration, CancellationToken cancellationToken);
}

/// <summary>An original a step derived from a source. <see cref="Original"/> null means the step found nothing
/// (an audio file without embedded art). Remote originals carry their HTTP validators and freshness.</summary>
public sealed record DerivedOriginal(string Source, string Step, string? Original, string? Detail)
{
    public string? ETag { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    /// <summary>Until when a remote original is used without revalidation.</summary>
    public DateTimeOffset? FreshUntil { get; init; }
}

/// <summary>An item by key (the hash of its id within a library) and the id it was known by.</summary>
public sealed record ItemRef(string Key, string Id);

/// <summary>Where an item's image for one role comes from: provider URLs in order, and optionally a file in the
/// library's folder whose chain (embedded art, sidecar, the file) is tried first.</summary>
public sealed record ItemRegistration(string Library, ItemRef Item, string Role, IReadOnlyList<string> Sources, string? Path, DateTimeOffset UpdatedAt);
