using Tessera.Core.Catalog;
using Tessera.Core.Catalog.Stash;

namespace Tessera.Tests.Catalog;

public sealed class CatalogSubscriptionsTests
{
    [Theory]
    [InlineData(1, 0.0, 500)]
    [InlineData(1, 1.0, 1000)]
    [InlineData(3, 1.0, 4000)]
    [InlineData(20, 1.0, 300_000)]
    [InlineData(1000, 0.0, 150_000)]
    public void Backoff_DoublesFromOneSecond_CappedAtFiveMinutes_WithJitterDownToHalf(int failures, double random, double expectedMs) =>
        Assert.Equal(expectedMs, CatalogSubscriptions.Backoff(failures, random).TotalMilliseconds, 3);

    [Theory]
    [InlineData("http://stash:9999/", "ws://stash:9999/graphql")]
    [InlineData("https://media.example/stash/", "wss://media.example/stash/graphql")]
    public void TheEndpoint_IsGraphQlOverWs_OnTheUpstreamsBase(string url, string expected) =>
        Assert.Equal(new Uri(expected), StashSubscription.Endpoint(new Uri(url)));
}
