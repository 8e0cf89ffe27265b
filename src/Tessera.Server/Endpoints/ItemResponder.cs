using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Tessera.Core;
using Tessera.Core.Cache;
using Tessera.Core.Limits;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Core.Redaction;
using Tessera.Core.Sources.Chain;
using Tessera.Core.Stats;
using Tessera.Server.Limits;

namespace Tessera.Server.Endpoints;

/// <summary>Answers a thumbnail request for any item (/t/ file, /i/ item, /r/ remote): the negative check, the
/// source chain, ETag/304, then the bytes or the preset's placeholder with its reason. Never a 500.</summary>
internal sealed partial class ItemResponder(PresetCatalog presets, ThumbnailService service, RequestCounters counters, Placeholders placeholders,
    TesseraOptions options, ClientLimiter limits, ILogger<ItemResponder> logger)
{
    /// <summary>The preset (from the allow-list) and output format a request asks for, or null after answering 400.</summary>
    public async Task<(Preset Preset, OutputFormat Format)?> PresetAndFormatAsync(HttpContext context, string presetName)
    {
        if (!presets.TryGet(presetName, out var preset))
        {
            await Problem(context, 400, $"unknown preset '{presetName}'; allowed: {string.Join(", ", presets.All.Select(x => x.Name))}");
            return null;
        }

        if (!TryFormat(context, preset, out var format, out var error))
        {
            await Problem(context, 400, error!);
            return null;
        }

        return (preset, format);
    }

    /// <summary>The preset's output format for this request: ?format= overrides the preset; "auto" follows Accept.</summary>
    private static bool TryFormat(HttpContext context, Preset preset, out OutputFormat format, out string? error)
    {
        var requested = preset.Format;
        if (context.Request.Query.TryGetValue("format", out var fq) && !Formats.TryParse(fq, out requested))
        {
            (format, error) = (default, $"unknown format '{fq}'; use webp, jpeg, png, avif or auto");
            return false;
        }

        format = Formats.Resolve(requested, context.Request.Headers.Accept);
        if (requested == OutputFormat.Auto)
        {
            context.Response.SetVaryAccept();
        }

        error = null;
        return true;
    }

    public async Task ServeAsync(HttpContext context, ThumbnailItem item, Preset preset, OutputFormat format)
    {
        var response = context.Response;
        ThumbnailResult result;
        FileStream? file = null;
        using var admission = limits.BeginMisses(context);
        try
        {
            var prepared = await service.PrepareAsync(item, preset, format, context.RequestAborted);
            if (prepared.Failure is { } failed)
            {
                if (prepared.KnownNegative)
                {
                    // A negative item: the placeholder at once, before any source is read or fetched.
                    counters.Increment(Counter.Negatives);
                }

                await PlaceholderAsync(context, preset, format, failed.Failure ?? FailureReason.DecodeFailed, failed.Detail);
                return;
            }

            var request = prepared.Request!;
            response.Headers["X-Tessera-Source"] = request.Original.Step;
            var etag = $"\"{request.Key.Value}\"";
            if (context.Request.MatchesETag(etag))
            {
                counters.Increment(Counter.NotModified);
                SetCacheHeaders(response, etag, request.Key.Value, format);
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            result = await service.GetAsync(request, fileOk: true, context.RequestAborted);
            if (result.File is { } checkedFile && (file = OpenChecked(checkedFile)) is null)
            {
                // Evicted between its stat and its open: answered as if it had not been there.
                result = await service.GetAsync(request, context.RequestAborted);
            }
        }
        catch (QueueFullException)
        {
            counters.Increment(Counter.Rejected);
            response.Headers.RetryAfter = "1";
            await Problem(context, 429, "too many thumbnails are being generated; retry shortly");
            return;
        }
        catch (MissRefusedException e)
        {
            await limits.RefuseAsync(context, e.RetryAfter, $"{e.Message} (Limits:MissesPerMinute); cached images are not limited");
            return;
        }
        catch (IndexReadOnlyException e)
        {
            // Degraded on a full disk: not a placeholder, which clients would keep as the thumbnail; the retry comes after space returns.
            counters.Increment(Counter.Rejected);
            response.Headers.RetryAfter = "30";
            await Problem(context, 503, $"this thumbnail is not cached and cannot be made now: {e.Message}");
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
            counters.Increment(Counter.Errors);
            LogUnexpected(logger, new Redacted(item.Identity), e);
            await PlaceholderAsync(context, preset, format, FailureReason.DecodeFailed, null);
            return;
        }

        if (result.Outcome == ThumbnailOutcome.Failed)
        {
            await PlaceholderAsync(context, preset, format, result.Failure ?? FailureReason.DecodeFailed, result.Detail);
            return;
        }

        counters.Increment(result.Outcome == ThumbnailOutcome.Hit ? Counter.Hits : Counter.Misses);
        SetCacheHeaders(response, $"\"{result.Key}\"", result.Key, format);
        response.Headers["X-Tessera-Cache"] = result.Outcome == ThumbnailOutcome.Hit ? "hit" : "miss";
        if (file is not null)
        {
            // A disk hit of a file this process checked whole: streamed from the open file, never read into memory.
            await using (file)
            {
                response.ContentType = Formats.ContentType(format);
                response.ContentLength = result.File!.Length;
                await file.CopyToAsync(response.Body, context.RequestAborted);
            }

            return;
        }

        await response.WriteImageAsync(result.Bytes, Formats.ContentType(format), context.RequestAborted);
    }

    private static FileStream? OpenChecked(RenditionFile checkedFile)
    {
        try
        {
            return new FileStream(checkedFile.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public async Task PlaceholderAsync(HttpContext context, Preset preset, OutputFormat format, FailureReason reason, string? detail)
    {
        counters.Increment(Counter.Placeholders);
        var response = context.Response;
        response.Headers.Remove("X-Tessera-Source");
        response.StatusCode = reason switch
        {
            FailureReason.NotFound => StatusCodes.Status404NotFound,
            FailureReason.Blocked => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status200OK,
        };
        response.Headers.CacheControl = $"public, max-age={options.PlaceholderMaxAgeSeconds}";
        response.Headers["X-Tessera-Placeholder"] = FailureReasons.ToText(reason);
        if (!string.IsNullOrEmpty(detail))
        {
            // What each step of the source chain found, for the app's developers (ASCII only: it is a header).
            response.Headers["X-Tessera-Detail"] = HeaderSafe(detail);
        }

        await response.WriteImageAsync(placeholders.Get(preset, format), Formats.ContentType(format), context.RequestAborted);
    }

    public static Task Problem(HttpContext context, int status, string detail) =>
        Results.Problem(detail: detail, statusCode: status).ExecuteAsync(context);

    private void SetCacheHeaders(HttpResponse response, string etag, string key, OutputFormat format)
    {
        response.Headers.ETag = etag;
        response.Headers.CacheControl = $"public, max-age={options.ItemMaxAgeSeconds}, must-revalidate";
        // The immutable, content-addressed URL of the same bytes.
        response.Headers[HeaderNames.ContentLocation] = $"/c/{key}.{Formats.Extension(format)}";
    }

    /// <summary>Printable ASCII (it is a header), at most 300 characters, URLs redacted and no server paths: tool
    /// messages quote the files they read, and only the file name is the client's business.</summary>
    internal static string HeaderSafe(string text)
    {
        var scrubbed = ServerPath().Replace(Redactor.Text(text), "$1");
        var chars = scrubbed.Select(c => c is >= ' ' and <= '~' ? c : '?').Take(300).ToArray();
        return new string(chars);
    }

    // An absolute path (optionally file:-prefixed) not inside a URL: "//host/x" and "http://…" are left alone.
    [System.Text.RegularExpressions.GeneratedRegex("""(?<![\w:/.])(?:file:)?/(?:[^\s/:;,'"]+/)+([^\s/:;,'"]+)""")]
    private static partial System.Text.RegularExpressions.Regex ServerPath();

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Unexpected failure thumbnailing {Source}")]
    private static partial void LogUnexpected(ILogger logger, Redacted source, Exception exception);
}
