using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Access;
using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Core.Stats;
using Tessera.Core.Storage;
using Tessera.Server.Access;
using Tessera.Server.OpenApi;

namespace Tessera.Server.Endpoints;

/// <summary>GET /c/{key}.{ext}: a rendition by its content address. The bytes behind a key never change.</summary>
internal static class ContentEndpoints
{
    private const string Immutable = "public, max-age=31536000, immutable";

    public static void MapContent(this IEndpointRouteBuilder app) => app.MapMethods("/c/{file}", ImageRoutes.GetAndHead, ServeAsync).Image()
        .Describe("Images", "A rendition by its content address", "file is {key}.{ext}. Immutable (Cache-Control: public, max-age=31536000, immutable); " +
            "one a non-public library answered with gets that library's check and private.");

    private static async Task ServeAsync(HttpContext context, ThumbnailService service, RequestCounters counters, AccessGate gate, AccessOptions access,
        PrivateRenditions renditions, string file)
    {
        var dot = file.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !RenditionKeyFormat.IsValid(file[..dot]) || !Formats.TryParseExtension(file[(dot + 1)..], out var format))
        {
            await ItemResponder.Problem(context, 400, "expected /c/<64 hex digits>.<webp|jpg|png|avif>");
            return;
        }

        var key = file[..dot];
        // A rendition a non-public library answered with is that library's: its address gets the same check.
        if (access.AnyPrivate && !await gate.AdmitAsync(context, [.. (await renditions.LibrariesOfAsync(key, context.RequestAborted)).Select(access.ModeOf)]))
        {
            return;
        }

        var etag = $"\"{key}\"";
        if (context.Request.MatchesETag(etag))
        {
            counters.Increment(Counter.NotModified);
            context.Response.Headers.ETag = etag;
            context.Response.Headers.CacheControl = Immutable;
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var result = await service.GetByKeyAsync(key, format);
        if (result is null || !IsFormat(result.Bytes, format))
        {
            await ItemResponder.Problem(context, 404, "no rendition with that key");
            return;
        }

        counters.Increment(Counter.Hits);
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = Immutable;
        await context.Response.WriteImageAsync(result.Bytes, Formats.ContentType(format), context.RequestAborted);
    }

    /// <summary>A key names content, not a format: the bytes found under it (in memory, by key) must be of the format
    /// the extension asks for, or the answer would be one format labelled as another.</summary>
    private static bool IsFormat(ReadOnlySpan<byte> bytes, OutputFormat format) => format switch
    {
        OutputFormat.Jpeg => bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
        OutputFormat.Png => bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']),
        OutputFormat.WebP => bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8),
        OutputFormat.Avif => bytes.Length >= 12 && bytes[4..8].SequenceEqual("ftyp"u8),
        _ => true,
    };
}
