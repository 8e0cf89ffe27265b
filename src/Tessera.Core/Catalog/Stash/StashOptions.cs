namespace Tessera.Core.Catalog.Stash;

/// <summary>How to reach one Stash server: its base URL and API key (sent only to it, as the <c>ApiKey</c> header), the
/// least time between two requests, how long one may take, and how often a transient failure is retried.</summary>
public sealed class StashOptions
{
    public required Uri Url { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>The least time between the starts of two requests; zero: no pause.</summary>
    public TimeSpan Pace { get; init; } = TimeSpan.Zero;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    public int MaxRetries { get; init; } = 3;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    internal Uri GraphQlEndpoint => new(Url, "graphql");
}
