using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Tessera.Core;
using Tessera.Core.Cache;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Core.Stats;
using Tessera.Vips;

namespace Tessera.Server.Endpoints;

/// <summary>GET /t/{library}/{preset}/{*path}: the thumbnail of a file in a folder library.</summary>
internal static partial class ThumbnailEndpoints
{
    public static void MapThumbnails(this IEndpointRouteBuilder app) =>
        app.MapGet("/t/{library}/{preset}/{**path}", ServeAsync);

    private static async Task ServeAsync(HttpContext context, string library, string preset, string? path)
    {
        var cache = context.RequestServices.GetRequiredService<TesseraCache>();
        var request = context.Request;
        var response = context.Response;

        if (!cache.Presets.TryGet(preset, out var p))
        {
            await Problem(context, 400, $"unknown preset '{preset}'; allowed: {string.Join(", ", cache.Presets.All.Select(x => x.Name))}");
            return;
        }

        var requested = p.Format;
        if (request.Query.TryGetValue("format", out var fq) && !Formats.TryParse(fq, out requested))
        {
            await Problem(context, 400, $"unknown format '{fq}'; use webp, jpeg, png, avif or auto");
            return;
        }

        var format = Formats.Resolve(requested, request.Headers.Accept);
        if (requested == OutputFormat.Auto)
        {
            response.SetVaryAccept();
        }

        if (!cache.Libraries.TryGetValue(library, out var lib))
        {
            await Problem(context, 404, $"unknown library '{library}'");
            return;
        }

        var resolved = lib.Resolve(path ?? string.Empty);
        if (resolved.Outcome == PathOutcome.Invalid)
        {
            await Problem(context, 400, resolved.Reason!);
            return;
        }

        if (resolved.Outcome == PathOutcome.Missing)
        {
            await PlaceholderAsync(context, cache, p, format, FailureReason.NotFound);
            return;
        }

        var prepared = await cache.Service.PrepareAsync(resolved.FullPath!, p, format, context.RequestAborted);
        if (prepared.Failure is { } failed)
        {
            if (prepared.KnownNegative)
            {
                // A negative item: the placeholder at once, before the file is hashed.
                cache.Counters.Increment(Counter.Negatives);
            }

            await PlaceholderAsync(context, cache, p, format, failed.Failure ?? FailureReason.DecodeFailed);
            return;
        }

        var fullPath = resolved.FullPath!;
        var key = prepared.Request!.Key;
        var etag = $"\"{key.Value}\"";
        if (request.MatchesETag(etag))
        {
            cache.Counters.Increment(Counter.NotModified);
            SetCacheHeaders(response, cache, etag, key.Value, format);
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        ThumbnailResult result;
        try
        {
            result = await cache.Service.GetAsync(prepared.Request, context.RequestAborted);
        }
        catch (QueueFullException)
        {
            cache.Counters.Increment(Counter.Rejected);
            response.Headers.RetryAfter = "1";
            await Problem(context, 429, "too many thumbnails are being generated; retry shortly");
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // Anything unexpected still answers with the placeholder, never a 500.
        catch (Exception e)
#pragma warning restore CA1031
        {
            cache.Counters.Increment(Counter.Errors);
            LogUnexpected(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Tessera.Server"), fullPath, e);
            await PlaceholderAsync(context, cache, p, format, FailureReason.DecodeFailed);
            return;
        }

        if (result.Outcome == ThumbnailOutcome.Failed)
        {
            await PlaceholderAsync(context, cache, p, format, result.Failure ?? FailureReason.DecodeFailed);
            return;
        }

        cache.Counters.Increment(result.Outcome == ThumbnailOutcome.Hit ? Counter.Hits : Counter.Misses);
        SetCacheHeaders(response, cache, $"\"{result.Key}\"", result.Key, format);
        response.Headers["X-Tessera-Cache"] = result.Outcome == ThumbnailOutcome.Hit ? "hit" : "miss";
        await response.WriteImageAsync(result.Bytes, Formats.ContentType(format), context.RequestAborted);
    }

    private static void SetCacheHeaders(HttpResponse response, TesseraCache cache, string etag, string key, ImageFormat format)
    {
        response.Headers.ETag = etag;
        response.Headers.CacheControl = $"public, max-age={cache.Options.ItemMaxAgeSeconds}, must-revalidate";
        // The immutable, content-addressed URL of the same bytes.
        response.Headers[HeaderNames.ContentLocation] = $"/c/{key}.{Formats.Extension(format)}";
    }

    private static async Task PlaceholderAsync(HttpContext context, TesseraCache cache, Preset preset, ImageFormat format, FailureReason reason)
    {
        cache.Counters.Increment(Counter.Placeholders);
        var response = context.Response;
        response.StatusCode = reason == FailureReason.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
        response.Headers.CacheControl = $"public, max-age={cache.Options.PlaceholderMaxAgeSeconds}";
        response.Headers["X-Tessera-Placeholder"] = ReasonText(reason);
        await response.WriteImageAsync(cache.Placeholders.Get(preset, format), Formats.ContentType(format), context.RequestAborted);
    }

    internal static string ReasonText(FailureReason reason) => FailureReasons.ToText(reason);

    internal static Task Problem(HttpContext context, int status, string detail) =>
        Results.Problem(detail: detail, statusCode: status).ExecuteAsync(context);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Unexpected failure thumbnailing {Source}")]
    private static partial void LogUnexpected(ILogger logger, string source, Exception exception);
}
