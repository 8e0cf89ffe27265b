using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Catalog;
using Tessera.Core.Catalog.Stash;
using Tessera.Tests.Support.StashStandIn;

namespace Tessera.Tests.Catalog.Stash;

public sealed class StashFailureTests
{
    [Fact]
    public async Task AWrongKey_FailsAtOnce_AndNoMessageCarriesAKey()
    {
        await using var standIn = await StashStandIn.StartAsync();
        const string wrong = "wrong-key-that-must-not-leak-42";
        using var upstream = StashTestKit.Upstream(standIn, key: wrong);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => upstream.CountAsync(CatalogTypes.Scenes, null, CancellationToken.None));

        Assert.False(error.Transient);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(StashStandIn.DefaultKey, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, standIn.GraphQlRequests);
    }

    [Fact]
    public async Task AnInvalidField_Is422_NotTransient_WithTheGraphQlMessage()
    {
        await using var standIn = await StashStandIn.StartAsync();
        using var client = new StashClient(new HttpClient(), StashTestKit.Options(standIn), TimeProvider.System, NullLogger.Instance);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.QueryAsync("findScenes",
            "query { findScenes { count scenes { id rating } } }", _ => { }, d => d.GetRawText(), CancellationToken.None));

        Assert.False(error.Transient);
        Assert.Contains("422", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot query field \"rating\" on type \"Scene\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, standIn.GraphQlRequests);
    }

    [Theory]
    [InlineData(StandInFailure.Status500)]
    [InlineData(StandInFailure.Drop)]
    public async Task TransientFailures_AreRetried(StandInFailure failure)
    {
        await using var standIn = await StashStandIn.StartAsync();
        using var upstream = StashTestKit.Upstream(standIn);
        standIn.FailNext(2, failure);

        var page = await upstream.PageAsync(CatalogTypes.Scenes, null, 10, null, CancellationToken.None);

        Assert.Equal(10, page.Items.Count);
        Assert.Equal(3, standIn.GraphQlRequests);
    }

    [Fact]
    public async Task AnUpstreamThatKeepsFailing_GivesUp_Transient()
    {
        await using var standIn = await StashStandIn.StartAsync();
        using var upstream = StashTestKit.Upstream(standIn, retries: 2);
        standIn.FailNext(10);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => upstream.PageAsync(CatalogTypes.Tags, null, 10, null, CancellationToken.None));

        Assert.True(error.Transient);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, standIn.GraphQlRequests);
    }

    [Fact]
    public async Task AnUnreachableUpstream_IsTransient()
    {
        var standIn = await StashStandIn.StartAsync();
        var options = StashTestKit.Options(standIn, retries: 1);
        await standIn.DisposeAsync();
        using var upstream = new StashUpstream(new HttpClient(), options);

        var error = await Assert.ThrowsAsync<UpstreamException>(() => upstream.CountAsync(CatalogTypes.Tags, null, CancellationToken.None));

        Assert.True(error.Transient);
    }

    [Fact]
    public async Task ThePace_HoldsTheNextRequest_UntilItIsDue()
    {
        await using var standIn = await StashStandIn.StartAsync();
        using var paced = StashTestKit.Upstream(standIn, pace: TimeSpan.FromHours(1));
        await paced.CountAsync(CatalogTypes.Tags, null, CancellationToken.None);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => paced.CountAsync(CatalogTypes.Tags, null, cancel.Token));
        Assert.Equal(1, standIn.GraphQlRequests); // the second request waited for its turn and never went

        using var unpaced = StashTestKit.Upstream(standIn);
        await unpaced.CountAsync(CatalogTypes.Tags, null, CancellationToken.None);
        await unpaced.CountAsync(CatalogTypes.Tags, null, CancellationToken.None);
        Assert.Equal(3, standIn.GraphQlRequests);
    }
}
