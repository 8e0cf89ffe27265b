using System.Globalization;
using Tessera.Core.Catalog;
using Tessera.Core.Catalog.Stash;
using Tessera.Tests.Support.StashStandIn;

namespace Tessera.Tests.Catalog.Stash;

public sealed class StashPagingTests
{
    [Fact]
    public async Task Pages_ById_CoverEveryEntityOnce_InNumericOrder_WithGapsInIds()
    {
        await using var standIn = await StashStandIn.StartAsync();
        using var upstream = StashTestKit.Upstream(standIn);
        foreach (var type in CatalogTypes.All)
        {
            var expected = standIn.Data.All(type).Select(e => e.Id).ToList();
            Assert.Contains(expected, id => id is >= 8 and <= 9); // "10" sorts before "9" as text: the order must be numeric
            Assert.Contains(expected, id => id >= 10);
            Assert.True(expected.Last() > expected.Count, $"{type} has no gaps in its ids");
            var seen = new List<long>();
            string? after = null;
            do
            {
                var result = await upstream.PageAsync(type, after, 4, since: null, CancellationToken.None);
                Assert.Equal(expected.Count, result.Total);
                seen.AddRange(result.Items.Select(e => long.Parse(e.Id, CultureInfo.InvariantCulture)));
                Assert.All(result.Items, e => Assert.Equal(type, e.Type));
                after = result.Next;
            }
            while (after is not null);

            Assert.Equal(expected, seen);
        }
    }

    [Fact]
    public async Task ChangedSince_IsAtOrAfter_InStashsOwnOffset()
    {
        await using var standIn = await StashStandIn.StartAsync();
        using var upstream = StashTestKit.Upstream(standIn);
        standIn.Now = new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);
        standIn.Update("scenes", 3, e => e.Title = "Changed");
        // An hour before: older than the watermark, but its local text (+02:00) sorts after a UTC text of the watermark.
        standIn.Update("scenes", 5).UpdatedAt = standIn.Now - TimeSpan.FromHours(1);

        var page = await upstream.PageAsync(CatalogTypes.Scenes, null, 50, standIn.Now, CancellationToken.None);

        var changed = Assert.Single(page.Items);
        Assert.Equal(("3", "Changed"), (changed.Id, changed.Title));
        Assert.Equal(1, page.Total);
        Assert.Equal("2024-06-01T14:00:00+02:00", changed.UpdatedAt);
        Assert.Equal(standIn.Now, changed.UpdatedAtUtc);
        Assert.Equal(1, await upstream.CountAsync(CatalogTypes.Scenes, standIn.Now, CancellationToken.None));
    }

    [Fact]
    public async Task ChangedSince_TheLastSeenSecond_FindsRowsChangedLaterInThatSecond()
    {
        await using var standIn = await StashStandIn.StartAsync();
        using var upstream = StashTestKit.Upstream(standIn);
        standIn.Now = new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var first = await ChangeAndReadAsync(3);
        standIn.Update("scenes", 4); // later within the same second: Stash's text keeps only the second

        // Stash's own GREATER_THAN the last updated_at seen (a strict watermark) misses it ...
        var strict = standIn.Data.All("scenes").Count(e => string.CompareOrdinal(StashTime.Format(e.UpdatedAt.ToOffset(TimeSpan.FromHours(2))), first.UpdatedAt) > 0);
        Assert.Equal(0, strict);

        // ... while "at or after" the watermark (what a sync asks for, before its overlap) finds both, and re-reading
        // scene 3 is harmless: upserts are idempotent.
        var page = await upstream.PageAsync(CatalogTypes.Scenes, null, 50, first.UpdatedAtUtc, CancellationToken.None);
        Assert.Equal(["3", "4"], page.Items.Select(e => e.Id));

        async Task<CatalogEntity> ChangeAndReadAsync(long id)
        {
            standIn.Update("scenes", id);
            return (await upstream.GetAsync(CatalogTypes.Scenes, id.ToString(CultureInfo.InvariantCulture), CancellationToken.None))!;
        }
    }

    [Fact]
    public async Task Counts_MatchTheUpstream_ForEveryType()
    {
        await using var standIn = await StashStandIn.StartAsync();
        using var upstream = StashTestKit.Upstream(standIn);
        foreach (var type in CatalogTypes.All)
        {
            Assert.Equal(standIn.Data.All(type).Count(), await upstream.CountAsync(type, null, CancellationToken.None));
        }

        Assert.Equal(0, await upstream.CountAsync(CatalogTypes.Tags, standIn.Now, CancellationToken.None));
        Assert.All(standIn.Operations.Where(o => o.Contains("count", StringComparison.Ordinal) && !o.Contains("updated_at", StringComparison.Ordinal)),
            o => Assert.DoesNotContain(" id ", o, StringComparison.Ordinal)); // a count asks for no entities
    }

    [Fact]
    public async Task AShortListing_StillCarriesTheFullCount()
    {
        await using var standIn = await StashStandIn.StartAsync();
        using var upstream = StashTestKit.Upstream(standIn);
        standIn.ShortListingNext();

        var page = await upstream.PageAsync(CatalogTypes.Scenes, null, 10, null, CancellationToken.None);

        Assert.Equal(9, page.Items.Count);
        Assert.Equal(standIn.Data.All("scenes").Count(), page.Total);
    }

    [Fact]
    public async Task EveryOperation_IsValidAgainstStashsSchema()
    {
        await using var standIn = await StashStandIn.StartAsync();
        using var upstream = StashTestKit.Upstream(standIn);
        foreach (var type in CatalogTypes.All)
        {
            var first = standIn.Data.All(type).First().Id.ToString(CultureInfo.InvariantCulture);
            await upstream.CountAsync(type, null, CancellationToken.None);
            await upstream.CountAsync(type, standIn.Now, CancellationToken.None);
            await upstream.PageAsync(type, null, 5, null, CancellationToken.None);
            await upstream.PageAsync(type, null, 5, standIn.Data.Size.Start, CancellationToken.None);
            Assert.NotNull(await upstream.GetAsync(type, first, CancellationToken.None));
            Assert.Null(await upstream.GetAsync(type, "999999", CancellationToken.None));
        }

        Assert.InRange(standIn.Operations.Count, CatalogTypes.All.Count * 6, (CatalogTypes.All.Count * 6) + 1); // + the offset probe
    }
}
