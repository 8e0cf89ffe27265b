using System.Security.Cryptography;

namespace Tessera.Core.Storage;

/// <summary>Reading a stored file whole and checking it against what was recorded (length, SHA-256): the one read
/// and check behind serving from disk, `tessera verify` and derived originals.</summary>
public static class VerifiedRead
{
    /// <summary>Lowercase hex SHA-256, the form the index records.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The whole stored file, or null when it is not there. Deleted after the open, it still reads whole
    /// (the open handle keeps it); an unreadable one throws <see cref="IOException"/>.</summary>
    public static byte[]? ReadAll(this IRenditionStore store, string key, string extension)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var stream = store.OpenRead(key, extension);
        return stream is null ? null : ReadWhole(stream);
    }

    /// <summary>As <see cref="ReadAll"/> through <see cref="IRenditionStore.OpenReadAsync"/>: a local store opens at once,
    /// a network store hands back the whole object, already checked against what it stored.</summary>
    public static async ValueTask<byte[]?> ReadAllAsync(this IRenditionStore store, string key, string extension, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var stream = await store.OpenReadAsync(key, extension, cancellationToken).ConfigureAwait(false);
        return stream is null ? null : ReadWhole(stream);
    }

    private static byte[] ReadWhole(Stream stream)
    {
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Null when the bytes are what was recorded, else what differs. What was not recorded (null) is not checked.</summary>
    public static string? Mismatch(ReadOnlySpan<byte> bytes, long? length, string? sha256)
    {
        if (length is { } n && bytes.Length != n)
        {
            return $"length {bytes.Length}, recorded {n}";
        }

        return sha256 is not null && Sha256(bytes) != sha256 ? "checksum mismatch" : null;
    }
}
