namespace Tessera.Core.Pipeline;

/// <summary>Why no thumbnail could be made from a source.</summary>
public enum FailureReason
{
    NotFound,
    TooLarge,
    DecodeFailed,
    Timeout,

    /// <summary>A provider answered with an error (5xx, other 4xx, refused connection) after retries.</summary>
    UpstreamError,

    /// <summary>The address is not allowed: private or internal networks, a host off the allow-list, a redirect loop.</summary>
    Blocked,

    /// <summary>The item exists but has no image: an audio file without embedded art and no sidecar, a folder with
    /// no cover. Distinct from <see cref="NotFound"/>, which means the item itself is missing.</summary>
    NoCover,
}
