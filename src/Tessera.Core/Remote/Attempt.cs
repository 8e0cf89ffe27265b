namespace Tessera.Core.Remote;

/// <summary>What one request to one URL came to; the retry pipeline retries only <see cref="Retryable"/>.</summary>
internal abstract record Attempt
{
    private Attempt()
    {
    }

    public sealed record Done(FetchResult Result) : Attempt;

    public sealed record Redirect(Uri Location, int Status) : Attempt;

    /// <summary>A transient failure (5xx, 408, 429, timeout, broken connection) that may succeed if tried again.</summary>
    public sealed record Retryable(Uri Url, FetchResult.Failed Failure) : Attempt;
}
