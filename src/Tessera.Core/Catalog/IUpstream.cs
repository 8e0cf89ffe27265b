namespace Tessera.Core.Catalog;

/// <summary>What an upstream API can do, so a sync uses the best way it has (and other upstreams — Jellyfin's
/// <c>/Items</c> with <c>minDateLastSaved</c>, Audiobookshelf, Discogs at 60 requests/min — fit later).</summary>
[Flags]
public enum UpstreamCapabilities
{
    None = 0,

    /// <summary>Pages of a type in a stable order by a unique key (full sync, and the id sweep that finds deletions).</summary>
    SortedPages = 1,

    /// <summary>Entities changed since an instant (incremental sync).</summary>
    ChangedSince = 2,

    /// <summary>A count of a type, alone and changed since an instant, without the entities (smart sync, sweep checks).</summary>
    Counts = 4,

    /// <summary>Pushes change notifications (Stash's <c>scanCompleteSubscribe</c>).</summary>
    Notifications = 8,

    /// <summary>Entities carry image URLs fetched with the upstream's credentials.</summary>
    Images = 16,

    /// <summary>Full listings of the types <see cref="IUpstream.PagesByKey"/> names page after the last id seen (a keyset),
    /// so a deletion upstream during the listing cannot shift a later page and skip a live row. Other types page by
    /// number: the sync lists them again when their total moves, and confirms a sweep with a second listing.</summary>
    KeysetPages = 32,
}

/// <summary>An upstream catalog API (Stash first): the adapter port a sync uses. Implementations page, retry with
/// backoff and pace their requests themselves; a failure they give up on is an <see cref="UpstreamException"/>.</summary>
public interface IUpstream
{
    UpstreamCapabilities Capabilities { get; }

    /// <summary>How many entities of a type the upstream has, or has changed since <paramref name="since"/>.</summary>
    Task<long> CountAsync(string type, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>One page of a type sorted by id ascending, or, with <paramref name="since"/>, of those updated at or after
    /// it (sorted by updated_at then id). <paramref name="after"/> is null for the first page, else the previous page's
    /// <see cref="UpstreamPage.Next"/>: an opaque cursor (the last id seen for a keyset, a page number otherwise). The
    /// page carries the upstream's total for the same query, so a sweep can tell a short listing from a complete one.</summary>
    Task<UpstreamPage> PageAsync(string type, string? after, int perPage, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>Whether full listings of <paramref name="type"/> page by key (<see cref="UpstreamCapabilities.KeysetPages"/>).</summary>
    bool PagesByKey(string type);

    /// <summary>One entity by id, or null when the upstream no longer has it (webhook updates).</summary>
    Task<CatalogEntity?> GetAsync(string type, string id, CancellationToken cancellationToken);

    /// <summary>Adds the upstream's credentials to a request for one of its image URLs (Stash: the <c>ApiKey</c> header);
    /// the key never leaves the server.</summary>
    void Authorize(HttpRequestMessage request);
}

/// <summary>A page of entities, the upstream's total count for the query that produced it, and the cursor of the next
/// page (null: this was the last).</summary>
public sealed record UpstreamPage(IReadOnlyList<CatalogEntity> Items, long Total, string? Next);

/// <summary>The upstream could not be reached or answered with an error; <see cref="Transient"/> says whether a retry may
/// help. The message is safe to log and to show an operator (never the key).</summary>
public sealed class UpstreamException : Exception
{
    public UpstreamException() { }

    public UpstreamException(string message) : base(message) { }

    public UpstreamException(string message, Exception innerException) : base(message, innerException) { }

    public UpstreamException(string message, bool transient, Exception? innerException = null) : base(message, innerException) =>
        Transient = transient;

    public bool Transient { get; }
}
