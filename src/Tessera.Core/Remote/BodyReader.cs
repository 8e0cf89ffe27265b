using System.Buffers;

namespace Tessera.Core.Remote;

/// <summary>Reads a response body under the byte cap while streaming, and judges its type from the first bytes so
/// an HTML page or an oversize body is abandoned early instead of downloaded whole.</summary>
internal static class BodyReader
{
    private const int ChunkSize = 81920;

    /// <summary>Either the bytes and their sniffed media type, or why there are none.</summary>
    public sealed record Result(byte[]? Bytes, string? MediaType, FetchResult.Failed? Failure);

    public static async Task<Result> ReadAsync(HttpContent content, long maxBytes, CancellationToken ct)
    {
        var declared = content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            return Fail(RemoteFailure.TooLarge, $"Content-Length {declared} exceeds the {maxBytes}-byte limit");
        }

        await using var stream = await content.ReadAsStreamAsync(ct);
        // Content-Length sizes the buffer only up to 1 MiB: a claim is not worth reserving 20 MiB for.
        using var body = new MemoryStream((int)Math.Min(declared ?? ChunkSize, Math.Min(maxBytes, 1 << 20)));
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        string? mediaType = null;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk.AsMemory(0, ChunkSize), ct)) > 0)
            {
                body.Write(chunk, 0, read);
                if (body.Length > maxBytes)
                {
                    return Fail(RemoteFailure.TooLarge, $"body exceeds the {maxBytes}-byte limit");
                }

                if (mediaType is null && body.Length >= ImageSniffer.HeadLength && Sniff(body, out mediaType) is { } notAnImage)
                {
                    return notAnImage;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        if (mediaType is null && Sniff(body, out mediaType) is { } failure)
        {
            return failure;
        }

        return new Result(body.ToArray(), mediaType, null);
    }

    private static Result Fail(RemoteFailure kind, string detail) => new(null, null, new FetchResult.Failed(kind, detail));

    /// <returns>The NotAnImage failure, or null when <paramref name="mediaType"/> was found.</returns>
    private static Result? Sniff(MemoryStream body, out string? mediaType)
    {
        var head = body.GetBuffer().AsSpan(0, (int)Math.Min(body.Length, ImageSniffer.HeadLength));
        mediaType = ImageSniffer.MediaType(head);
        if (mediaType is not null)
        {
            return null;
        }

        return Fail(RemoteFailure.NotAnImage, body.Length == 0 ? "empty body" : $"body is not a supported image (starts with {Describe(head)})");
    }

    private static string Describe(ReadOnlySpan<byte> head)
    {
        var sample = head[..Math.Min(head.Length, 16)];
        return Convert.ToHexString(sample) + " \"" + string.Concat(sample.ToArray().Select(b => b is >= 32 and < 127 ? (char)b : '.')) + "\"";
    }
}
