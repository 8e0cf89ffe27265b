namespace Tessera.Core.Remote;

public abstract record FetchResult
{
    private FetchResult()
    {
    }

    /// <summary>A body whose magic bytes say it is an image; <paramref name="MediaType"/> comes from those bytes.</summary>
    public sealed record Fetched(byte[] Bytes, string MediaType, string? ETag, DateTimeOffset? LastModified, TimeSpan? MaxAge, Uri FinalUrl) : FetchResult;

    /// <summary>304: the stored copy is current; validators and freshness as refreshed by the upstream.</summary>
    public sealed record NotModified(string? ETag, DateTimeOffset? LastModified, TimeSpan? MaxAge) : FetchResult;

    /// <summary><paramref name="RetryAfter"/> is set when the upstream asked for a pause we did not wait out.</summary>
    public sealed record Failed(RemoteFailure Kind, string Detail, TimeSpan? RetryAfter = null) : FetchResult;
}
