using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Core.Stats;
using Tessera.Core.Storage;

namespace Tessera.Server.Endpoints;

/// <summary>GET /c/{key}.{ext}: a rendition by its content address. The bytes behind a key never change.</summary>
internal static class ContentEndpoints
{
    private const string Immutable = "public, max-age=31536000, immutable";

    public static void MapContent(this IEndpointRouteBuilder app) => app.MapGet("/c/{file}", ServeAsync);

    private static async Task ServeAsync(HttpContext context, ThumbnailService service, RequestCounters counters, string file)
    {
        var dot = file.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !RenditionKeyFormat.IsValid(file[..dot]) || !Formats.TryParseExtension(file[(dot + 1)..], out var format))
        {
            await ItemResponder.Problem(context, 400, "expected /c/<64 hex digits>.<webp|jpg|png|avif>");
            return;
        }

        var key = file[..dot];
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
        if (result is null)
        {
            await ItemResponder.Problem(context, 404, "no rendition with that key");
            return;
        }

        counters.Increment(Counter.Hits);
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = Immutable;
        await context.Response.WriteImageAsync(result.Bytes, Formats.ContentType(format), context.RequestAborted);
    }
}
