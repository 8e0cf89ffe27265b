using Microsoft.Extensions.Logging;
using Tessera.Core.Cache;
using Tessera.Core.Eviction;
using Tessera.Core.Stats;
using Tessera.Tests.Support;
using static Tessera.Tests.Eviction.EvictionSupport;

namespace Tessera.Tests.Eviction;

/// <summary>Low disk evicts just the shortfall, never below the floor, and says so when eviction cannot help.</summary>
public sealed class DiskPressureTests : IDisposable
{
    private readonly CacheFixture _f = RoomyCache();
    private readonly FakeTimeProvider _clock = new();
    private readonly ListLogger _log = new();

    public void Dispose() => _f.Dispose();

    private BudgetOptions Budget => _f.Options.Budget;

    private Evictor NewEvictor() => new(_f.Cache.EvictionIndex, _f.Cache.Store, _f.Cache.Get<HotCache>(), _f.Cache.Get<AccessTracker>(),
        _f.Cache.Get<RequestCounters>(), Budget, _f.Data, _log, _clock);

    [Fact]
    public async Task ARestorableShortfall_EvictsOnlyWhatItNeeds_AndIsNotReportedAsStuck()
    {
        var r = await MakeRenditionsAsync(_f, 6);
        var total = r.Sum(x => (long)x.Bytes.Length);
        Budget.MinFreeDiskBytes = 50_000_000;
        Budget.EvictionFloorBytes = r[^1].Bytes.Length; // room to free all but the newest
        var shortfall = r[0].Bytes.Length + r[1].Bytes.Length; // exactly the two oldest
        Budget.FreeDiskBytes = _ => Budget.MinFreeDiskBytes - shortfall;

        var evictor = NewEvictor();
        var result = await evictor.RunOnceAsync(default);

        Assert.Equal((2, (long)shortfall), (result.Count, result.Bytes));
        Assert.Equal(total - shortfall, await _f.Cache.EvictionIndex.TotalBytesAsync(default));
        var disk = evictor.Disk();
        Assert.True(disk.Low); // the fake free space does not move: the disk still reads low
        Assert.False(disk.AtFloor);
        Assert.Empty(_log.Lines);
    }

    [Fact]
    public async Task AShortfallEvictionCannotRestore_StopsAtTheFloor_ReportsItInStats_AndLogsAtABoundedRate()
    {
        var r = await MakeRenditionsAsync(_f, 6);
        var total = r.Sum(x => (long)x.Bytes.Length);
        Budget.MinFreeDiskBytes = 1L << 30;
        Budget.FreeDiskBytes = _ => 298_000_000; // someone else filled the disk: 700 MB short, the cache is tiny
        Budget.MaxBytes = total * 4;
        Budget.EvictionFloorShare = 0.125; // half of what is stored
        var floor = Budget.FloorBytes;

        var evictor = NewEvictor();
        var first = await evictor.RunOnceAsync(default);
        var left = await _f.Cache.EvictionIndex.TotalBytesAsync(default);

        Assert.InRange(first.Count, 1, 5);
        Assert.True(left >= floor, $"{left} bytes left, below the floor of {floor}");
        Assert.True(left - r.Max(x => x.Bytes.Length) < floor, "eviction stopped well above the floor");
        Assert.True(HasRow(_f, r[^1].Key)); // the newest stays
        Assert.Single(_log.Lines);
        Assert.Contains("cannot restore", _log.Lines[0], StringComparison.Ordinal);

        // The next runs evict nothing more and do not log again within the interval; past it, one more line.
        Assert.Equal(0, (await evictor.RunOnceAsync(default)).Count);
        _clock.Advance(Evictor.FloorLogInterval / 2);
        Assert.Equal(0, (await evictor.RunOnceAsync(default)).Count);
        Assert.Single(_log.Lines);
        _clock.Advance(Evictor.FloorLogInterval);
        await evictor.RunOnceAsync(default);
        Assert.Equal(2, _log.Lines.Count);
        Assert.Equal(left, await _f.Cache.EvictionIndex.TotalBytesAsync(default));

        var disk = evictor.Disk();
        Assert.Equal((298_000_000L, 1L << 30, true, floor, true), (disk.FreeBytes, disk.MinFreeBytes, disk.Low, disk.FloorBytes, disk.AtFloor));

        // Stats (the server's /api/stats) report the state of the composed evictor.
        await _f.Cache.Evictor.RunOnceAsync(default);
        var stats = await _f.Cache.Get<StatsReader>().ReadAsync(default);
        Assert.True(stats.Disk is { Low: true, AtFloor: true });
    }

    [Fact]
    public async Task DiskWithRoom_IsNotLow_AndZeroMinimumTurnsTheRuleOff()
    {
        await MakeRenditionsAsync(_f, 2);
        Budget.MinFreeDiskBytes = 1000;
        Budget.FreeDiskBytes = _ => 1000;
        Assert.False(Budget.CheckDisk(_f.Data).Low);
        Budget.FreeDiskBytes = _ => 999;
        Assert.True(Budget.CheckDisk(_f.Data).Low);
        Budget.MinFreeDiskBytes = 0;
        Budget.FreeDiskBytes = _ => 0;
        Assert.False(Budget.CheckDisk(_f.Data).Low);
        Assert.Equal(0, (await NewEvictor().RunOnceAsync(default)).Count);
    }

    [Fact]
    public async Task Health_UsesTheSameThreshold_AsEviction()
    {
        Budget.MinFreeDiskBytes = 5L << 20;
        Budget.FreeDiskBytes = _ => (5L << 20) - 1;
        var health = _f.Cache.Get<Tessera.Core.Health.HealthChecker>();
        var low = await health.CheckAsync("free disk", default);
        Assert.False(low.Ok);
        Assert.Contains("minimum 5 MiB", low.Detail, StringComparison.Ordinal);

        Budget.FreeDiskBytes = _ => 5L << 20;
        Assert.True((await health.CheckAsync("free disk", default)).Ok);
    }

    private sealed class ListLogger : ILogger<Evictor>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
