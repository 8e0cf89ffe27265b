namespace Tessera.Core.Storage;

/// <summary>This machine's disk store as a first tier in front of a shared store (the truth, e.g. S3): a read that
/// misses locally is fetched from the shared tier and kept locally; a write goes to the shared tier, then locally.
/// The local tier keeps its own budget (the evictor removes local copies only); the shared tier keeps its own.</summary>
public sealed class TieredRenditionStore(DiskRenditionStore local, IRenditionStore shared) : IRenditionStore
{
    public IRenditionStore Shared => shared;

    public string? LocalPath(string key, string extension) => local.LocalPath(key, extension);

    // The synchronous port (derived originals, verify) waits for the local copy's write; the serving path is async.
    public Stream? OpenRead(string key, string extension) =>
        local.OpenRead(key, extension) ?? KeepAsync(key, extension, shared.OpenRead(key, extension), CancellationToken.None).GetAwaiter().GetResult();

    public async ValueTask<Stream?> OpenReadAsync(string key, string extension, CancellationToken cancellationToken) =>
        local.OpenRead(key, extension)
        ?? await KeepAsync(key, extension, await shared.OpenReadAsync(key, extension, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public bool Exists(string key, string extension) => local.Exists(key, extension) || shared.Exists(key, extension);

    public async ValueTask<bool> ExistsAsync(string key, string extension, CancellationToken cancellationToken) =>
        local.Exists(key, extension) || await shared.ExistsAsync(key, extension, cancellationToken).ConfigureAwait(false);

    public async Task WriteAsync(string key, string extension, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await shared.WriteAsync(key, extension, bytes, cancellationToken).ConfigureAwait(false);
        await local.WriteAsync(key, extension, bytes, cancellationToken).ConfigureAwait(false);
    }

    public void Delete(string key, string extension)
    {
        shared.Delete(key, extension);
        local.Delete(key, extension);
    }

    public void DropLocalCopy(string key, string extension) => local.Delete(key, extension);

    /// <summary>The local tier's renditions: what the index (and so the local budget) describes on this machine.</summary>
    public IEnumerable<StoredRendition> Enumerate() => local.Enumerate();

    /// <summary>Keeps a copy of what the shared tier gave; a full local disk only means the next read fetches it again.</summary>
    private async Task<Stream?> KeepAsync(string key, string extension, Stream? fetched, CancellationToken cancellationToken)
    {
        if (fetched is null)
        {
            return null;
        }

        byte[] bytes;
        using (fetched)
        {
            bytes = new byte[fetched.Length];
            fetched.ReadExactly(bytes);
        }

        try
        {
            await local.WriteAsync(key, extension, bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Served from the bytes in hand.
        }

        return new MemoryStream(bytes, writable: false);
    }
}
