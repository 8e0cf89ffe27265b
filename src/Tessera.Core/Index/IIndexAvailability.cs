namespace Tessera.Core.Index;

/// <summary>Whether the index can be written now. An index that cannot be opened read-write for lack of disk space is
/// opened read-only instead (degraded): reads serve what is stored, every write fails with <see cref="IndexFailure.Full"/>,
/// and the host calls <see cref="TryReopenAsync"/> with backoff until space returns.</summary>
public interface IIndexAvailability
{
    /// <summary>Why the index is read-only now (naming the full disk), or null when it is writable.</summary>
    string? ReadOnlyReason { get; }

    /// <summary>Tries to open the index read-write again, migrating it as a normal open does; true when it is writable
    /// after the call. Requests in flight finish on the connections they have.</summary>
    Task<bool> TryReopenAsync(CancellationToken cancellationToken);
}
