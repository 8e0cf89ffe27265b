using System.Net.Http.Headers;

namespace Tessera.Core.Remote;

/// <summary>Freshness and retry hints read from response headers.</summary>
internal static class CacheHeaders
{
    /// <summary>s-maxage or max-age (minus Age), else Expires − Date; no-store / no-cache and an unparsable Expires
    /// mean "stale now" (zero); null when the upstream says nothing.</summary>
    public static TimeSpan? MaxAge(HttpResponseMessage response, DateTimeOffset now)
    {
        var cacheControl = response.Headers.CacheControl;
        if (cacheControl is { NoStore: true } or { NoCache: true })
        {
            return TimeSpan.Zero;
        }

        if ((cacheControl?.SharedMaxAge ?? cacheControl?.MaxAge) is { } maxAge)
        {
            return NotNegative(maxAge - (response.Headers.Age ?? TimeSpan.Zero));
        }

        if (response.Content.Headers.Expires is { } expires)
        {
            return NotNegative(expires - (response.Headers.Date ?? now));
        }

        return response.Content.Headers.NonValidated.Contains("Expires") ? TimeSpan.Zero : null;
    }

    /// <summary>Retry-After as a delay: delta-seconds, or an HTTP-date measured against the response's Date (so
    /// clock skew between us and the upstream does not matter) or our clock.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => NotNegative(delta),
        { Date: { } date } => NotNegative(date - (response.Headers.Date ?? now)),
        _ => null,
    };

    /// <summary>The raw ETag, kept even when it is not a well-formed entity tag (it is only ever echoed back).</summary>
    public static string? ETag(HttpResponseHeaders headers) =>
        headers.NonValidated.TryGetValues("ETag", out var values) ? values.FirstOrDefault() : null;

    private static TimeSpan NotNegative(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;
}
