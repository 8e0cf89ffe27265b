using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using static Tessera.Tests.Eviction.EvictionSupport;

namespace Tessera.Tests.Eviction;

public sealed class EvictorTests : IDisposable
{
    private readonly CacheFixture _f = RoomyCache();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Eviction_RemovesExactlyTheLeastRecentlyUsed_RowsAndFiles_AndCountsThem()
    {
        var r = await MakeRenditionsAsync(_f, 6);
        // Hit the three oldest: they become the most recently used.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ThumbnailOutcome.Hit, (await _f.Cache.Service.GetAsync(SourceOf(_f, i), Grid, OutputFormat.WebP, default)).Outcome);
        }

        // Room for the three touched and #5: #3 and #4, the oldest untouched, must go, and nothing else.
        _f.Options.Budget.MaxBytes = r[0].Bytes.Length + r[1].Bytes.Length + r[2].Bytes.Length + r[5].Bytes.Length;
        _f.Options.Budget.TargetRatio = 1.0;

        var result = await _f.Cache.Evictor.RunOnceAsync(default);

        Assert.Equal(2, result.Count);
        Assert.Equal(r[3].Bytes.Length + r[4].Bytes.Length, result.Bytes);
        foreach (var i in new[] { 3, 4 })
        {
            Assert.False(HasRow(_f, r[i].Key), $"row {i}");
            Assert.False(HasFile(_f, r[i].Key), $"file {i}");
            Assert.Null(await _f.Cache.Service.GetByKeyAsync(r[i].Key, OutputFormat.WebP)); // gone from memory too
        }

        foreach (var i in new[] { 0, 1, 2, 5 })
        {
            Assert.True(HasRow(_f, r[i].Key), $"row {i}");
            Assert.True(HasFile(_f, r[i].Key), $"file {i}");
        }

        var stats = await _f.Cache.StatsAsync(default);
        Assert.Equal(2, stats.Evictions);
        Assert.Equal(_f.Options.Budget.MaxBytes, stats.BudgetBytes);
        Assert.Equal(1.0, stats.BudgetUsedRatio);

        await _f.Cache.FlushCountersAsync(default);
        Assert.Equal(2, (await _f.Reopen().StatsAsync(default)).Evictions); // persisted
    }

    [Fact]
    public async Task OverBudget_EndsAtOrBelowTheTarget_AndWithinBudget_NothingIsEvicted()
    {
        var r = await MakeRenditionsAsync(_f, 6);
        var total = r.Sum(x => (long)x.Bytes.Length);

        _f.Options.Budget.MaxBytes = total;
        Assert.Equal(0, (await _f.Cache.Evictor.RunOnceAsync(default)).Count);
        Assert.Equal(6, _f.RenditionFiles().Length);

        _f.Options.Budget.MaxBytes = total - 1;
        _f.Options.Budget.TargetRatio = 0.5;
        var result = await _f.Cache.Evictor.RunOnceAsync(default);

        var left = await _f.Cache.EvictionIndex.TotalBytesAsync(default);
        Assert.True(result.Count > 0);
        Assert.True(left <= _f.Options.Budget.TargetBytes, $"{left} > {_f.Options.Budget.TargetBytes}");
        Assert.Equal(total - result.Bytes, left);
        Assert.Equal(6 - result.Count, _f.RenditionFiles().Length);
        Assert.False(HasRow(_f, r[0].Key)); // the oldest goes first
    }

    [Fact]
    public async Task LowFreeDisk_EvictsTheOldest_UntilTheShortfallIsFreed()
    {
        var r = await MakeRenditionsAsync(_f, 4);
        var budget = _f.Options.Budget;
        budget.MinFreeDiskBytes = 10_000_000;
        budget.EvictionFloorBytes = 0;

        budget.FreeDiskBytes = _ => budget.MinFreeDiskBytes;
        Assert.Equal(0, (await _f.Cache.Evictor.RunOnceAsync(default)).Count);

        // One byte more than the oldest rendition is missing: the two oldest must go, though the budget is not reached.
        budget.FreeDiskBytes = _ => budget.MinFreeDiskBytes - (r[0].Bytes.Length + 1);
        var result = await _f.Cache.Evictor.RunOnceAsync(default);

        Assert.Equal(2, result.Count);
        Assert.False(HasRow(_f, r[0].Key) || HasFile(_f, r[0].Key));
        Assert.False(HasRow(_f, r[1].Key) || HasFile(_f, r[1].Key));
        Assert.True(HasRow(_f, r[2].Key) && HasFile(_f, r[2].Key));
        Assert.True(HasRow(_f, r[3].Key) && HasFile(_f, r[3].Key));
    }

    [Fact]
    public async Task AReaderThatOpenedAFile_KeepsReadingIt_AfterEvictionDeletesIt_ThenItIsAMiss()
    {
        var r = await MakeRenditionsAsync(_f, 2);
        var key = r[0].Key;
        await using var open = _f.Cache.Store.OpenRead(key, "webp")!;
        var head = new byte[10];
        open.ReadExactly(head);

        _f.Options.Budget.MaxBytes = r[1].Bytes.Length;
        _f.Options.Budget.TargetRatio = 1.0;
        Assert.Equal(1, (await _f.Cache.Evictor.RunOnceAsync(default)).Count);
        Assert.False(HasFile(_f, key));

        var rest = new byte[open.Length - head.Length];
        open.ReadExactly(rest);
        byte[] whole = [.. head, .. rest];
        Assert.Equal(r[0].Bytes, whole);

        Assert.Null(await _f.Cache.Service.GetByKeyAsync(key, OutputFormat.WebP));
        var again = await _f.Cache.Service.GetAsync(SourceOf(_f, 0), Grid, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Generated, again.Outcome);
        Assert.True(HasRow(_f, key) && HasFile(_f, key));
    }
}
