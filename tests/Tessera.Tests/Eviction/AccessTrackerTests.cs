using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using static Tessera.Tests.Eviction.EvictionSupport;

namespace Tessera.Tests.Eviction;

public sealed class AccessTrackerTests : IDisposable
{
    private readonly CacheFixture _f = RoomyCache();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task AMemoryHit_WritesNothing_UntilTheFlush_WhichRecordsIt()
    {
        var r = await MakeRenditionsAsync(_f, 2);

        var hit = await _f.Cache.Service.GetAsync(SourceOf(_f, 0), Grid, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Hit, hit.Outcome);
        Assert.Equal(1000, LastAccess(_f, r[0].Key));
        Assert.Equal(1, _f.Cache.Access.PendingCount);

        Assert.Equal(1, await _f.Cache.Access.FlushAsync(_f.Cache.EvictionIndex, default));
        Assert.True(LastAccess(_f, r[0].Key) > DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());
        Assert.Equal(1001, LastAccess(_f, r[1].Key)); // untouched rows keep their time
        Assert.Equal(0, _f.Cache.Access.PendingCount);
    }

    [Fact]
    public async Task ADiskHit_IsTrackedToo_AndManyHitsOnOneKey_AreOnePendingWrite()
    {
        var r = await MakeRenditionsAsync(_f, 1);
        var cache = _f.Reopen(); // empty memory cache: the next read comes from disk

        for (var i = 0; i < 5; i++)
        {
            Assert.NotNull(await cache.Service.GetByKeyAsync(r[0].Key, OutputFormat.WebP));
        }

        Assert.Equal(1, cache.Access.PendingCount);
        Assert.Equal(1000, LastAccess(_f, r[0].Key));
        await cache.FlushAccessAsync(default);
        Assert.NotEqual(1000, LastAccess(_f, r[0].Key));
    }
}
