using Tessera.Core.Index;

namespace Tessera.Tests.Index.Contracts;

public abstract class EvictionIndexContract<TFixture> : IndexContract<TFixture>
    where TFixture : IIndexFixture, new()
{
    private const long Future = 4_000_000_000;

    private IEvictionIndex Eviction => Index.Eviction;

    private async Task SeedAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(i), "webp", 100 + i, "h" + i, "grid", 1, 1, 1), default);
        }

        // Access times out of key order, with a tie, so the (last_access, key) order is tested. Touches only move
        // times forward, and a recorded row was used now, so these lie in the future.
        await Eviction.TouchAsync([new(Key(0), Future + 5000), new(Key(1), Future + 1000), new(Key(2), Future + 3000), new(Key(3), Future + 1000),
            new(Key(4), Future + 2000)], default);
    }

    [Fact]
    public async Task TotalBytes_IsTheSumOfEveryRow_AndFollowsDeletes()
    {
        Assert.Equal(0, await Eviction.TotalBytesAsync(default));
        await SeedAsync(5);
        Assert.Equal(510, await Eviction.TotalBytesAsync(default));
        await Eviction.DeleteRenditionsAsync([Key(0)], default);
        Assert.Equal(410, await Eviction.TotalBytesAsync(default));
    }

    [Fact]
    public async Task Oldest_IsInLastAccessThenKeyOrder()
    {
        await SeedAsync(5);
        var oldest = await Eviction.OldestAsync(3, default);
        Assert.Equal([Key(1), Key(3), Key(4)], oldest.Select(c => c.Key));
        Assert.Equal(new EvictionCandidate(Key(1), "webp", 101, Future + 1000), oldest[0]);
    }

    [Fact]
    public async Task Touch_NeverMovesAnAccessBackwards_AndIgnoresUnknownKeys()
    {
        await SeedAsync(2);
        await Eviction.TouchAsync([new(Key(0), 10), new(Key(99), 10)], default);
        var all = await Eviction.OldestAsync(10, default);
        Assert.Equal(Future + 5000, all.Single(c => c.Key == Key(0)).LastAccess);
        Assert.Equal(2, all.Count);
    }

    [Fact]
    public async Task OldestAfter_PagesThroughEveryRowOnce_InLruOrder()
    {
        await SeedAsync(5);
        var seen = new List<string>();
        var (at, key) = (long.MinValue, string.Empty);
        while (await Eviction.OldestAfterAsync(at, key, 2, default) is { Count: > 0 } page)
        {
            Assert.True(page.Count <= 2);
            seen.AddRange(page.Select(c => c.Key));
            (at, key) = (page[^1].LastAccess, page[^1].Key);
        }

        Assert.Equal([Key(1), Key(3), Key(4), Key(2), Key(0)], seen);
    }

    [Fact]
    public async Task DeleteRenditions_ReturnsOnlyTheKeysThatWereThere()
    {
        await SeedAsync(3);
        var deleted = await Eviction.DeleteRenditionsAsync([Key(0), Key(2), Key(42)], default);
        Assert.Equal([Key(0), Key(2)], deleted.Order(StringComparer.Ordinal));
        Assert.Empty(await Eviction.DeleteRenditionsAsync([Key(0)], default));
        Assert.Empty(await Eviction.DeleteRenditionsAsync([], default));
        Assert.Equal([Key(1)], (await Eviction.OldestAsync(10, default)).Select(c => c.Key));
    }
}
