using System.Globalization;
using Tessera.Core.Catalog;
using Tessera.Core.Catalog.Stash;
using Tessera.Tests.Catalog.Stash;
using Tessera.Tests.Support;
using Tessera.Tests.Support.StashStandIn;

namespace Tessera.Tests.Catalog;

/// <summary>The sync through the real Stash adapter against the loopback Stash stand-in and a real SQLite catalog index:
/// paging, watermarks, ties, soft delete, the orphan guards and changes upstream in the middle of a listing.</summary>
public sealed class CatalogStandInSyncTests : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new();
    private StashStandIn _standIn = null!;
    private StashUpstream _upstream = null!;
    private CatalogHarness _catalog = null!;

    public async Task InitializeAsync()
    {
        _standIn = await StashStandIn.StartAsync();
        _upstream = StashTestKit.Upstream(_standIn);
        _catalog = CatalogHarness.Open(_dir.Sub("data"), _upstream, perPage: 5);
    }

    [Fact]
    public async Task AFullSync_StoresEveryEntityOfEveryType_AndSetsEachTypesWatermark()
    {
        foreach (var type in CatalogTypes.All)
        {
            var result = await _catalog.SyncAsync(type, CatalogSyncMode.Full);

            var upstream = _standIn.Data.All(type).ToList();
            Assert.Equal(upstream.Count, result.Stored);
            Assert.Equal(upstream.Count, await _catalog.LiveAsync(type));
            Assert.Equal(upstream.Max(e => e.UpdatedAt), (await _catalog.WatermarkAsync(type)).UpdatedSince);
        }
    }

    [Fact]
    public async Task AFullSyncByKey_SkipsNoLiveScene_WhenOneIsDeletedBetweenPages()
    {
        await _catalog.SyncAsync(CatalogTypes.Scenes, CatalogSyncMode.Full);
        var first = _standIn.Data.All("scenes").First().Id;
        _standIn.AfterListingPages(1, () =>
        {
            _standIn.Delete("scenes", first);
            _standIn.Add("scenes", "appended"); // keeps the counts before and after equal: they cannot tell the listing moved
        });

        await _catalog.SyncAsync(CatalogTypes.Scenes, CatalogSyncMode.Full);

        // By page number, page 2 would start one row late and the sweep would delete the scene that moved onto page 1.
        await AssertEveryUpstreamRowIsLiveAsync("scenes");
        Assert.All(_standIn.Operations.Where(o => o.Contains("scenes {", StringComparison.Ordinal)), o => Assert.Contains("$where: SceneFilterType", o, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFullSyncByPageNumber_ListsAgainBeforeItSweeps_SoADeletionBetweenPagesSkipsNoLivePerformer()
    {
        Assert.False(_upstream.PagesByKey(CatalogTypes.Performers)); // Stash's PerformerFilterType has no id criterion
        await _catalog.SyncAsync(CatalogTypes.Performers, CatalogSyncMode.Full);
        var first = _standIn.Data.All("performers").First().Id;
        _standIn.AfterListingPages(1, () =>
        {
            _standIn.Delete("performers", first);
            _standIn.Add("performers", "appended"); // keeps the counts before and after equal: they cannot tell the listing moved
        });

        var result = await _catalog.SyncAsync(CatalogTypes.Performers, CatalogSyncMode.Full);

        // Without the second listing the sweep would delete the performer that moved onto page 1 unseen. The deleted one
        // was read before it went, so it stays until the next sync, whose two listings both miss it.
        await AssertEveryUpstreamRowIsLiveAsync("performers");
        Assert.Equal(0, result.Deleted);
        Assert.Equal(1, (await _catalog.SyncAsync(CatalogTypes.Performers, CatalogSyncMode.Full)).Deleted);
        Assert.Null(await GetAsync("performers", first));
    }

    [Fact]
    public async Task Incremental_MovesOnlyTheChangedTypesWatermark_AndReadsEveryTieAcrossPages()
    {
        await _catalog.SyncAsync(CatalogTypes.Scenes, CatalogSyncMode.Full);
        await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Full);
        var tagsBefore = await _catalog.WatermarkAsync(CatalogTypes.Tags);
        _standIn.Now = new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var changed = _standIn.Data.All("scenes").Where(e => e.Id % 3 == 0).Take(8).ToList(); // 8 rows in one second: ties across pages of 5
        foreach (var scene in changed)
        {
            _standIn.Update("scenes", scene.Id, e => e.Title = $"changed {e.Id}");
        }

        var scenes = await _catalog.SyncAsync(CatalogTypes.Scenes, CatalogSyncMode.Incremental);
        var tags = await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Incremental);

        Assert.Equal(CatalogSyncMode.Incremental, scenes.Mode);
        foreach (var scene in changed)
        {
            Assert.Equal($"changed {scene.Id}", (await GetAsync("scenes", scene.Id))?.Title);
        }

        Assert.Equal(_standIn.Now, (await _catalog.WatermarkAsync(CatalogTypes.Scenes)).UpdatedSince);
        Assert.Equal(tagsBefore.UpdatedSince, (await _catalog.WatermarkAsync(CatalogTypes.Tags)).UpdatedSince);
        Assert.Equal(CatalogSyncMode.Incremental, tags.Mode);
    }

    [Fact]
    public async Task AFullSync_SoftDeletesWhatTheUpstreamLost_AndBringsItBackWhenItReappears()
    {
        await _catalog.SyncAsync(CatalogTypes.Galleries, CatalogSyncMode.Full);
        var gone = _standIn.Data.All("galleries").ElementAt(3);
        _standIn.Delete("galleries", gone.Id);

        Assert.Equal(0, (await _catalog.SyncAsync(CatalogTypes.Galleries, CatalogSyncMode.Incremental)).Deleted); // incremental never deletes
        var full = await _catalog.SyncAsync(CatalogTypes.Galleries, CatalogSyncMode.Full);

        Assert.Equal(1, full.Deleted);
        Assert.Null(await GetAsync("galleries", gone.Id));
        _standIn.Data.Put(gone);
        await _catalog.SyncAsync(CatalogTypes.Galleries, CatalogSyncMode.Full);
        Assert.NotNull(await GetAsync("galleries", gone.Id));
        await AssertEveryUpstreamRowIsLiveAsync("galleries");
    }

    [Theory]
    [InlineData("scenes", "unreachable")]
    [InlineData("scenes", "short listing")]
    [InlineData("scenes", "count mismatch")]
    [InlineData("tags", "unreachable")]
    [InlineData("tags", "short listing")]
    [InlineData("tags", "count mismatch")]
    public async Task AnOrphanGuard_NeverDeletes_AndSaysWhy(string type, string guard)
    {
        await _catalog.SyncAsync(type, CatalogSyncMode.Full);
        var deleted = _standIn.Data.All(type).Last().Id;
        _standIn.Delete(type, deleted); // a real deletion the sweep would find, were the listing trusted
        switch (guard)
        {
            case "unreachable":
                _standIn.AfterListingPages(1, () => _standIn.FailNext(100));
                break;
            case "short listing":
                for (var i = 0; i < 3; i++)
                {
                    _standIn.ShortListingNext(); // a listing by number is read again before a sweep: every one is short
                }

                break;
            default:
                AddDuringEveryListing(type); // counted after, not before: a listing by number that moves is read again, so every one moves
                break;
        }

        string text;
        if (guard == "unreachable")
        {
            text = (await Assert.ThrowsAsync<UpstreamException>(() => _catalog.SyncAsync(type, CatalogSyncMode.Full))).Message;
        }
        else
        {
            var result = await _catalog.SyncAsync(type, CatalogSyncMode.Full);
            Assert.Equal(0, result.Deleted);
            text = result.Text;
        }

        Assert.NotNull(await GetAsync(type, deleted));
        Assert.Contains($"sweep skipped: {guard}", text, StringComparison.Ordinal);
        Assert.Contains($"sweep skipped: {guard}", (await _catalog.WatermarkAsync(type)).LastResult, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smart_SkipsUnchangedTypesAfterCounting_AndSyncsAndSweepsTheChangedOnes()
    {
        await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Full);
        await _catalog.SyncAsync(CatalogTypes.Studios, CatalogSyncMode.Full);
        _standIn.Update("tags", _standIn.Data.All("tags").First().Id, e => e.Title = "renamed");
        _standIn.Delete("studios", _standIn.Data.All("studios").ElementAt(2).Id); // a deletion: only the totals show it

        var tags = await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Smart);
        var studios = await _catalog.SyncAsync(CatalogTypes.Studios, CatalogSyncMode.Smart);
        var before = _standIn.Operations.Count;
        var studiosAgain = await _catalog.SyncAsync(CatalogTypes.Studios, CatalogSyncMode.Smart);

        Assert.Equal(CatalogSyncMode.Incremental, tags.Mode);
        Assert.Equal("renamed", (await GetAsync("tags", _standIn.Data.All("tags").First().Id))?.Title);
        Assert.Equal(CatalogSyncMode.Full, studios.Mode);
        Assert.Equal(1, studios.Deleted);
        Assert.True(studiosAgain.Skipped, studiosAgain.Text);
        Assert.All(_standIn.Operations.Skip(before), o => Assert.DoesNotContain("studios {", o, StringComparison.Ordinal)); // counts alone
    }

    private void AddDuringEveryListing(string type) => _standIn.AfterListingPages(1, () =>
    {
        _standIn.Add(type, "added during the listing");
        AddDuringEveryListing(type);
    });

    private Task<CatalogEntity?> GetAsync(string type, long id) =>
        _catalog.Index.GetAsync(CatalogHarness.Name, type, id.ToString(CultureInfo.InvariantCulture), null, CancellationToken.None);

    private async Task AssertEveryUpstreamRowIsLiveAsync(string type)
    {
        foreach (var entity in _standIn.Data.All(type))
        {
            Assert.True(await GetAsync(type, entity.Id) is not null, $"{type} {entity.Id} is live upstream but not in the catalog");
        }
    }

    public async Task DisposeAsync()
    {
        _catalog.Dispose();
        _upstream.Dispose();
        await _standIn.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();
}
