using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Tessera.Core.Sources;

/// <summary>The content id of a large file read in samples, not whole: its size, head, tail and evenly spaced samples
/// between, SHA-256'd behind a version tag. A 2 GiB film costs 1 MiB of reads, not 2 GiB. The "s1-" prefix keeps a
/// sampled id apart from every full-file SHA-256 (64 hex digits), whatever bytes a file holds.</summary>
public static class SampledContentId
{
    public const string Prefix = "s1-";

    /// <summary>Bytes in each sample.</summary>
    public const int SampleBytes = 64 * 1024;

    /// <summary>Samples per file: the head, the tail and 14 between (1 MiB in all).</summary>
    public const int Samples = 16;

    private static ReadOnlySpan<byte> Tag => "tessera sampled content id v1\n"u8;

    /// <summary>The sampled id of a file and the bytes read for it (only the samples: positional reads, no read-ahead).</summary>
    public static async Task<(string Id, long BytesRead)> ComputeAsync(string path, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            FileOptions.RandomAccess | FileOptions.Asynchronous);
        var size = RandomAccess.GetLength(handle);
        var length = (int)Math.Min(SampleBytes, size);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var header = new byte[Tag.Length + 16];
        Tag.CopyTo(header);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(Tag.Length), size);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(Tag.Length + 8), Samples);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(Tag.Length + 12), length);
        hash.AppendData(header);

        var buffer = new byte[length];
        long read = 0;
        for (var i = 0; i < Samples; i++)
        {
            var filled = await ReadAtAsync(handle, buffer, Offset(size, length, i), cancellationToken).ConfigureAwait(false);
            hash.AppendData(buffer, 0, filled);
            read += filled;
        }

        return (Prefix + Convert.ToHexStringLower(hash.GetHashAndReset()), read);
    }

    /// <summary>Where sample <paramref name="index"/> starts: 0 for the head, size − length for the tail, evenly between.</summary>
    public static long Offset(long size, int length, int index) => (long)((Int128)(size - length) * index / (Samples - 1));

    private static async Task<int> ReadAtAsync(Microsoft.Win32.SafeHandles.SafeFileHandle handle, byte[] buffer, long offset, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(filled), offset + filled, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break; // truncated since it was opened: the stamp has changed too, so this id is replaced on the next look
            }

            filled += n;
        }

        return filled;
    }
}
