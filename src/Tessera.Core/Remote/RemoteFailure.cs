namespace Tessera.Core.Remote;

public enum RemoteFailure
{
    /// <summary>404 or 410.</summary>
    NotFound,

    /// <summary>Refused before or at connect: SSRF guard, allow-list, scheme, credentials, too many redirects.</summary>
    Blocked,

    TooLarge,

    /// <summary>The body's magic bytes are not a raster format we decode (HTML, SVG, PDF, empty...).</summary>
    NotAnImage,

    /// <summary>5xx after retries, other 4xx, refused/reset connection, DNS, TLS, malformed response.</summary>
    Upstream,

    Timeout,
}
