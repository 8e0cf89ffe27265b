using Tessera.Core.Pipeline;

namespace Tessera.Core.Index;

/// <summary>Tells every replica sharing an index to drop in-memory state that a change made stale (a purge, a cleared
/// negative entry, an item change). In-process when the index is this process's own (SQLite); PostgreSQL
/// <c>LISTEN/NOTIFY</c> when replicas share one. Publish after the change is committed: a replica that drops its memory
/// reads the index again.</summary>
public interface IInvalidationBus
{
    /// <summary>Applies the event to this process's handlers at once, then tells the other replicas.</summary>
    Task PublishAsync(InvalidationEvent invalidation, CancellationToken cancellationToken);

    /// <summary>Adds a handler for every event, this process's own and other replicas'.</summary>
    void Subscribe(Func<InvalidationEvent, Task> handler);
}

/// <summary>What went stale. <see cref="Keys"/> are rendition keys with extension (<c>key.ext</c>) for
/// <see cref="InvalidationKind.Renditions"/>, full source paths for <see cref="InvalidationKind.Files"/>, derived
/// sources (content hashes, URLs) for <see cref="InvalidationKind.Derived"/>, negative items for
/// <see cref="InvalidationKind.Negatives"/> (null: every entry of <see cref="Reason"/>, or every entry).</summary>
public sealed record InvalidationEvent(InvalidationKind Kind, IReadOnlyList<string>? Keys = null, FailureReason? Reason = null, string? Library = null)
{
    /// <summary>Drop every in-memory cache: too much changed to list, or events may have been missed.</summary>
    public static InvalidationEvent Everything { get; } = new(InvalidationKind.Everything);
}

public enum InvalidationKind
{
    Everything = 0,
    Renditions = 1,
    Files = 2,
    Derived = 3,
    Negatives = 4,
    Items = 5,
}
