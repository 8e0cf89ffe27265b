using System.Collections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tessera.Server.Logging;

/// <summary>Puts <c>RequestId</c> on every log line written while a request runs. ASP.NET Core's own request scope
/// comes with its hosting diagnostics, which also start an <see cref="System.Diagnostics.Activity"/> for every request
/// whenever that logger is on: about 2 KB of allocations and a few per cent of a cache hit's CPU (bench/NOTES.md §6).
/// That logger is off in <see cref="TesseraServer"/>; this scope keeps the one field our log lines show, and reads
/// the request's id only when a line is written. An <see cref="System.Diagnostics.ActivityListener"/> (OpenTelemetry
/// tracing) still gets its activities: ASP.NET Core starts them for listeners regardless of logging.</summary>
internal sealed class RequestScope(RequestDelegate next, ILogger logger)
{
    public const string Category = "Tessera.Request";

    public async Task InvokeAsync(HttpContext context)
    {
        using (logger.BeginScope(new State(context)))
        {
            await next(context);
        }
    }

    /// <summary>One pair, RequestId, formatted when a formatter enumerates it (Kestrel builds the id lazily too).</summary>
    private sealed class State(HttpContext context) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 1;

        public KeyValuePair<string, object?> this[int index] => index == 0
            ? new KeyValuePair<string, object?>("RequestId", context.TraceIdentifier)
            : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => "RequestId:" + context.TraceIdentifier;
    }
}
