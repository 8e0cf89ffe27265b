using Tessera.Core.Eviction;
using Tessera.Core.Index;

namespace Tessera.Core.Storage;

/// <summary>Originals Tessera derived itself (embedded covers, video frames, downloads), stored once by the SHA-256
/// of their bytes beside the renditions, so every preset comes from one extraction or download. They share the
/// renditions' index rows, budget and eviction: an evicted original is derived again when next needed.</summary>
public sealed class OriginalStore(IRenditionStore store, IRenditionIndex index, AccessTracker access)
{
    public const string Extension = "orig";

    public const string PresetLabel = "(original)";

    public static string Hash(ReadOnlySpan<byte> bytes) => VerifiedRead.Sha256(bytes);

    /// <summary>Stores bytes under their hash (a no-op when already stored) and returns the hash.</summary>
    public async Task<string> PutAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var hash = Hash(bytes);
        if (!await store.ExistsAsync(hash, Extension, cancellationToken).ConfigureAwait(false))
        {
            await store.WriteAsync(hash, Extension, bytes, cancellationToken).ConfigureAwait(false);
            await index.RecordRenditionAsync(new RenditionRecord(hash, Extension, bytes.Length, hash, PresetLabel, 0, 0, null) { Checksum = hash },
                cancellationToken).ConfigureAwait(false);
        }

        access.Touch(hash);
        return hash;
    }

    /// <summary>Stores bytes when the disk and index allow; returns their hash either way. A full disk only means the
    /// original is derived again when next needed: this request is served from the bytes in hand.</summary>
    public async Task<string> TryPutAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            return await PutAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexException)
        {
            return Hash(bytes);
        }
    }

    /// <summary>The bytes stored under a hash, or null when they are gone (evicted) or damaged (then deleted):
    /// content addressing makes every read self-checking.</summary>
    public byte[]? Read(string hash)
    {
        if (!RenditionKeyFormat.IsValid(hash))
        {
            return null;
        }

        byte[]? bytes;
        try
        {
            bytes = store.ReadAll(hash, Extension);
        }
        catch (IOException)
        {
            return null;
        }

        if (bytes is null)
        {
            return null;
        }

        if (VerifiedRead.Mismatch(bytes, null, hash) is not null)
        {
            store.Delete(hash, Extension);
            return null;
        }

        access.Touch(hash);
        return bytes;
    }
}
