using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cache;

/// <summary>What enters the memory cache: renditions a user asked for, not those a job (a warm) made ahead of them.</summary>
public sealed class HotCacheAdmissionTests : IDisposable
{
    private static readonly Preset Grid = new("grid", 400, 400);
    private readonly CacheFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task AJobsGeneration_StaysOutOfMemory_ALiveOneGoesIn()
    {
        var hot = _f.Cache.Get<HotCache>();
        var warmed = Images.WriteSolidJpeg(Path.Combine(_f.Library, "warmed.jpg"), 900, 600, 10, 200, 30);
        var viewed = Images.WriteSolidJpeg(Path.Combine(_f.Library, "viewed.jpg"), 900, 600, 200, 100, 50);

        var background = await _f.Cache.Service.EnsureAsync(warmed, Grid, OutputFormat.WebP, WorkPriority.Background, default);
        Assert.Equal(ThumbnailOutcome.Generated, background!.Outcome);
        Assert.False(hot.TryGet(background.Key, out _));
        Assert.Equal(0, hot.Count);

        var live = await _f.Cache.Service.GetAsync(viewed, Grid, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Generated, live.Outcome);
        Assert.True(hot.TryGet(live.Key, out var bytes));
        Assert.Equal(live.Bytes, bytes);
    }
}
