namespace Tessera.Core.Storage;

/// <summary>Where rendition bytes live: a local folder, or an object store (with the local folder as a first tier) when Tessera runs on several machines.</summary>
public interface IRenditionStore
{
    /// <summary>Opens a stored rendition for reading, or returns null when it is not there.</summary>
    Stream? OpenRead(string key, string extension);

    /// <summary>Whether a rendition is stored, without reading it.</summary>
    bool Exists(string key, string extension);

    /// <summary>As <see cref="OpenRead"/>, for a store across a network; a local store completes at once (no extra work on its hit path).</summary>
    ValueTask<Stream?> OpenReadAsync(string key, string extension, CancellationToken cancellationToken) => ValueTask.FromResult(OpenRead(key, extension));

    /// <summary>As <see cref="Exists"/>, for a store across a network.</summary>
    ValueTask<bool> ExistsAsync(string key, string extension, CancellationToken cancellationToken) => ValueTask.FromResult(Exists(key, extension));

    /// <summary>Publishes a rendition atomically: readers see the whole file or none of it.</summary>
    Task WriteAsync(string key, string extension, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    /// <summary>Removes a rendition; a reader that already opened it keeps reading (POSIX unlink semantics).</summary>
    void Delete(string key, string extension);

    /// <summary>Removes this machine's copy only (another replica purged the rendition and its shared copy); nothing for a store with no local copy.</summary>
    void DropLocalCopy(string key, string extension) { }

    /// <summary>The rendition's file on this machine, when the store keeps one (so it can be sent by the kernel), else null.</summary>
    string? LocalPath(string key, string extension) => null;

    /// <summary>Every stored rendition, for rebuilding the index.</summary>
    IEnumerable<StoredRendition> Enumerate();
}

/// <summary>A rendition found in the store.</summary>
public sealed record StoredRendition(string Key, string Extension, long Length, DateTimeOffset WrittenAt);
