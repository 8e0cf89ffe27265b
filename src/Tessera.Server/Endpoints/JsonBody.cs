using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Tessera.Server.Endpoints;

/// <summary>An admin request's JSON body, read with a cap enforced while streaming (a chunked body past the cap is
/// refused with 413 as soon as it passes, never read whole) and never echoed back in an error.</summary>
internal static class JsonBody
{
    public const int SmallCap = 64 * 1024;
    public const int BulkCap = 16 * 1024 * 1024;

    /// <summary>The parsed body; Empty when there was none; or the problem to answer with.</summary>
    public static async Task<(T? Body, bool Empty, IResult? Problem)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type, int cap, string expected)
        where T : class
    {
        if (context.Request.ContentLength > cap)
        {
            return (null, false, TooLarge(cap));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = cap;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(cap, 64 * 1024) + 1);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, cap + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                int read;
                try
                {
                    read = await context.Request.Body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, cap + 1) - length), context.RequestAborted);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    return (null, false, TooLarge(cap));
                }

                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > cap)
                {
                    return (null, false, TooLarge(cap));
                }
            }

            if (length == 0 || buffer.AsSpan(0, length).Trim(" \t\r\n"u8).IsEmpty)
            {
                return (null, true, null);
            }

            try
            {
                var body = JsonSerializer.Deserialize(buffer.AsSpan(0, length), type);
                return body is null ? (null, false, Bad(expected)) : (body, false, null);
            }
            catch (JsonException)
            {
                return (null, false, Bad(expected));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IResult Bad(string expected) => Results.Problem(detail: expected, statusCode: StatusCodes.Status400BadRequest);

    private static IResult TooLarge(int cap) =>
        Results.Problem(detail: $"the request body is larger than {cap / 1024} KiB", statusCode: StatusCodes.Status413PayloadTooLarge);
}
