using Tessera.Core.Catalog;
using Tessera.Tests.Support;

namespace Tessera.Tests.Catalog;

/// <summary>The sync against a scripted upstream and a real SQLite catalog index.</summary>
public sealed class CatalogSyncTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();
    private readonly ScriptedUpstream _upstream = new();
    private readonly CatalogHarness _catalog;

    public CatalogSyncTests()
    {
        _catalog = CatalogHarness.Open(_dir.Sub("data"), _upstream);
        for (var i = 1; i <= 25; i++)
        {
            _upstream.Put(ScriptedUpstream.Entity(CatalogTypes.Tags, i, T0.AddSeconds(i)));
        }

        for (var i = 1; i <= 12; i++)
        {
            _upstream.Put(ScriptedUpstream.Entity(CatalogTypes.Studios, i, T0.AddSeconds(i)));
        }
    }

    [Fact]
    public async Task AFullSync_StoresEveryPage_AndSetsTheTypesWatermark()
    {
        var result = await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Full);

        Assert.Equal(25, result.Stored);
        Assert.Equal(25, await _catalog.LiveAsync(CatalogTypes.Tags));
        Assert.Equal(3, _upstream.PageRequests[CatalogTypes.Tags]); // 10 + 10 + 5
        var watermark = await _catalog.WatermarkAsync(CatalogTypes.Tags);
        Assert.Equal(T0.AddSeconds(25), watermark.UpdatedSince);
        Assert.NotNull(watermark.LastFullSync);
    }

    [Fact]
    public async Task Incremental_MovesOnlyTheChangedTypesWatermark_AndFindsARowChangedLaterInTheSameSecond()
    {
        await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Full);
        await _catalog.SyncAsync(CatalogTypes.Studios, CatalogSyncMode.Full);
        var studiosBefore = await _catalog.WatermarkAsync(CatalogTypes.Studios);

        // Tag 3 changes in the very second of the watermark (25 s), after the sync read it: "GREATER_THAN 25 s" would miss it.
        _upstream.Put(ScriptedUpstream.Entity(CatalogTypes.Tags, 3, T0.AddSeconds(25).AddMilliseconds(400), title: "renamed"));
        var tags = await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Incremental);
        var studios = await _catalog.SyncAsync(CatalogTypes.Studios, CatalogSyncMode.Incremental);

        Assert.Equal(CatalogSyncMode.Incremental, tags.Mode);
        var stored = await _catalog.Index.GetAsync(CatalogHarness.Name, CatalogTypes.Tags, "3", null, CancellationToken.None);
        Assert.Equal("renamed", stored?.Title);
        Assert.Equal(T0.AddSeconds(25).AddMilliseconds(400), (await _catalog.WatermarkAsync(CatalogTypes.Tags)).UpdatedSince);
        Assert.Equal(studiosBefore.UpdatedSince, (await _catalog.WatermarkAsync(CatalogTypes.Studios)).UpdatedSince);
        Assert.Equal(0, studios.Deleted);
    }

    [Fact]
    public async Task AFullSync_SoftDeletesWhatTheUpstreamLost_AndBringsItBackWhenItReappears()
    {
        await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Full);
        var gone = ScriptedUpstream.Entity(CatalogTypes.Tags, 7, T0.AddSeconds(7));
        _upstream.Remove(CatalogTypes.Tags, 7);

        var incremental = await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Incremental);
        Assert.Equal(0, incremental.Deleted); // incremental never deletes
        var full = await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Full);

        Assert.Equal(1, full.Deleted);
        Assert.Equal(24, await _catalog.LiveAsync(CatalogTypes.Tags));
        Assert.Null(await _catalog.Index.GetAsync(CatalogHarness.Name, CatalogTypes.Tags, "7", null, CancellationToken.None));

        _upstream.Put(gone);
        await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Full);
        Assert.Equal(25, await _catalog.LiveAsync(CatalogTypes.Tags));
        Assert.NotNull(await _catalog.Index.GetAsync(CatalogHarness.Name, CatalogTypes.Tags, "7", null, CancellationToken.None));
    }

    [Theory]
    [InlineData("unreachable")]
    [InlineData("empty listing")]
    [InlineData("short listing")]
    [InlineData("count mismatch")]
    public async Task AnOrphanGuard_NeverDeletes_AndSaysWhy(string guard)
    {
        await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Full);
        _upstream.Remove(CatalogTypes.Tags, 25); // a real deletion the sweep would find, were the listing trusted
        switch (guard)
        {
            case "unreachable":
                _upstream.FailFrom = (CatalogTypes.Tags, 2);
                break;
            case "empty listing":
                _upstream.EmptyListing = CatalogTypes.Tags;
                break;
            case "short listing":
                _upstream.ShortListing = CatalogTypes.Tags;
                break;
            default:
                _upstream.CountSkew = (CatalogTypes.Tags, 1);
                break;
        }

        string text;
        if (guard == "unreachable")
        {
            text = (await Assert.ThrowsAsync<UpstreamException>(() => _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Full))).Message;
        }
        else
        {
            var result = await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Full);
            Assert.Equal(0, result.Deleted);
            text = result.Text;
        }

        Assert.Equal(25, await _catalog.LiveAsync(CatalogTypes.Tags));
        Assert.Contains($"sweep skipped: {guard}", text, StringComparison.Ordinal);
        Assert.Contains($"sweep skipped: {guard}", (await _catalog.WatermarkAsync(CatalogTypes.Tags)).LastResult, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smart_SkipsUnchangedTypesAfterCounting_AndSyncsAndSweepsTheChangedOnes()
    {
        await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Full);
        await _catalog.SyncAsync(CatalogTypes.Studios, CatalogSyncMode.Full);
        _upstream.PageRequests.Clear();
        _upstream.Put(ScriptedUpstream.Entity(CatalogTypes.Tags, 26, T0.AddSeconds(90)));
        _upstream.Remove(CatalogTypes.Studios, 4); // a deletion: only the totals show it

        var tags = await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Smart);
        var studios = await _catalog.SyncAsync(CatalogTypes.Studios, CatalogSyncMode.Smart);
        var studiosAgain = await _catalog.SyncAsync(CatalogTypes.Studios, CatalogSyncMode.Smart);

        Assert.Equal(CatalogSyncMode.Incremental, tags.Mode);
        Assert.Equal(26, await _catalog.LiveAsync(CatalogTypes.Tags));
        Assert.Equal(CatalogSyncMode.Full, studios.Mode);
        Assert.Equal(1, studios.Deleted);
        Assert.True(studiosAgain.Skipped, studiosAgain.Text);
        Assert.Equal(2, _upstream.PageRequests[CatalogTypes.Studios]); // the full listing only; the skip asked for counts alone
    }

    public void Dispose()
    {
        _catalog.Dispose();
        _dir.Dispose();
    }
}
