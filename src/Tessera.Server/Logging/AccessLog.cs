using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tessera.Server.Logging;

/// <summary>One line per request (event 2050, category Tessera.Access), when Logging:AccessLog is on: method, path with
/// secrets redacted, status, bytes, duration, hit or miss, user agent. Off, it is not in the pipeline at all; on, a
/// request costs two timestamps, a few header reads and one log call.</summary>
internal sealed partial class AccessLog(RequestDelegate next, ILogger logger)
{
    public const string Category = "Tessera.Access";

    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var request = context.Request;
                var response = context.Response;
                var cache = response.Headers["X-Tessera-Cache"].ToString();
                if (cache.Length == 0)
                {
                    cache = response.Headers.ContainsKey("X-Tessera-Placeholder") ? "placeholder" : "-";
                }

                var userAgent = request.Headers.UserAgent.ToString();
                var path = AccessLogPath.Redact(request.Path.Value, request.QueryString.Value);
                var milliseconds = Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 2);
                Request(logger, request.Method, path, response.StatusCode, response.ContentLength ?? -1, milliseconds, cache, userAgent.Length == 0 ? "-" : userAgent);
            }
        }
    }

    [LoggerMessage(EventId = 2050, EventName = "Request", Level = LogLevel.Information,
        Message = "{Method} {Path} {Status} {Bytes} {DurationMs}ms {Cache} \"{UserAgent}\"")]
    private static partial void Request(ILogger logger, string method, string path, int status, long bytes, double durationMs, string cache, string userAgent);
}
