using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cache;

public sealed class NegativeCacheTests : IDisposable
{
    private static readonly Preset Grid = new("grid", 400, 400);
    private static readonly TimeSpan Day = TimeSpan.FromHours(23);
    private readonly FakeTimeProvider _clock = new();
    private readonly CacheFixture _f;

    public NegativeCacheTests() => _f = new CacheFixture(o =>
    {
        o.Negative.Clock = _clock;
        o.Negative.Jitter = 0;
    });

    public void Dispose() => _f.Dispose();

    private ThumbnailService Service => _f.Cache.Service;

    private NegativeCache Negatives => _f.Cache.Negatives;

    private async Task<NegativeEntry?> EntryAsync(string item) =>
        (await _f.Cache.ListNegativesAsync(null, 0, 1000, default)).SingleOrDefault(e => e.Item == item);

    /// <summary>A valid JPEG and a broken one of exactly the same length (its header zeroed).</summary>
    private static (byte[] Good, byte[] Bad) GoodAndBad()
    {
        var good = Images.SolidJpeg(900, 600, 200, 100, 50);
        var bad = (byte[])good.Clone();
        Array.Clear(bad, 0, 64);
        return (good, bad);
    }

    [Fact]
    public async Task MissingFile_IsNegativeNotFound_UntilTheRecheck_ThenTriedAgain()
    {
        var path = Path.Combine(_f.Library, "gone.jpg");

        var first = await Service.GetAsync(path, Grid, OutputFormat.WebP, default);
        var second = await Service.GetAsync(path, Grid, OutputFormat.WebP, default);

        Assert.Equal((ThumbnailOutcome.Failed, FailureReason.NotFound), (first.Outcome, first.Failure));
        Assert.Equal((ThumbnailOutcome.Failed, FailureReason.NotFound), (second.Outcome, second.Failure));
        var e = await EntryAsync(path);
        Assert.NotNull(e);
        Assert.Equal(("file", FailureReason.NotFound, 1, -1L), (e.Source, e.Reason, e.Attempts, e.Size));
        Assert.Equal(FakeTimeProvider.Start + Day, e.RetryAt);

        _clock.Advance(Day + TimeSpan.FromSeconds(1));
        await Service.GetAsync(path, Grid, OutputFormat.WebP, default);
        var retried = await EntryAsync(path);
        Assert.Equal(2, retried!.Attempts);
        Assert.Equal(FakeTimeProvider.Start, retried.FirstFailedAt);
        Assert.Equal(_clock.GetUtcNow() + Day, retried.RetryAt);

        // The file appearing changes its stat: it is served at once, and the entry goes.
        Images.WriteSolidJpeg(path, 300, 200);
        var served = await Service.GetAsync(path, Grid, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Generated, served.Outcome);
        Assert.Null(await EntryAsync(path));
    }

    [Fact]
    public async Task BrokenFile_Untouched_KeepsItsPlaceholderWithoutReads_AndFixedInPlaceWithSameSizeAndMtime_IsRetriedAtOnce()
    {
        var (good, bad) = GoodAndBad();
        var src = Path.Combine(_f.Library, "broken.jpg");
        await File.WriteAllBytesAsync(src, bad);
        var mtime = File.GetLastWriteTimeUtc(src);

        var first = await Service.GetAsync(src, Grid, OutputFormat.WebP, default);
        Assert.Equal((ThumbnailOutcome.Failed, FailureReason.DecodeFailed), (first.Outcome, first.Failure));
        Assert.Equal(1, Service.Generations);
        var e = await EntryAsync(src);
        Assert.Equal((FailureReason.DecodeFailed, 1), (e!.Reason, e.Attempts));
        Assert.Equal(FakeTimeProvider.Start + Day, e.RetryAt);

        // Untouched: the negative entry holds, so nothing decodes it.
        var again = await Service.GetAsync(src, Grid, OutputFormat.WebP, default);
        var ensured = await Service.EnsureAsync(src, Grid, OutputFormat.WebP, default);
        Assert.Equal((ThumbnailOutcome.Failed, FailureReason.DecodeFailed), (again.Outcome, again.Failure));
        Assert.Equal(ThumbnailOutcome.Failed, ensured!.Outcome);
        Assert.NotNull(Service.KnownFailure(src, OutputFormat.WebP));
        Assert.Equal(1, Service.Generations);

        // Fixed the cp -p way: same size, mtime put back. The inode change time still moved, so it is retried now.
        await File.WriteAllBytesAsync(src, good);
        File.SetLastWriteTimeUtc(src, mtime);
        Assert.Equal(bad.Length, new FileInfo(src).Length);
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(src));
        Assert.Null(Service.KnownFailure(src, OutputFormat.WebP));
        var served = await Service.GetAsync(src, Grid, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Generated, served.Outcome);
        Assert.Equal(2, Service.Generations);
        Assert.Null(await EntryAsync(src));
    }

    [Fact]
    public async Task ChangedFile_WithANewMtime_IsRetriedAtOnce()
    {
        var (good, bad) = GoodAndBad();
        var src = Path.Combine(_f.Library, "broken.jpg");
        await File.WriteAllBytesAsync(src, bad);
        var mtime = File.GetLastWriteTimeUtc(src);
        Assert.Equal(ThumbnailOutcome.Failed, (await Service.GetAsync(src, Grid, OutputFormat.WebP, default)).Outcome);

        await File.WriteAllBytesAsync(src, good);
        File.SetLastWriteTimeUtc(src, mtime.AddMinutes(1));
        var served = await Service.GetAsync(src, Grid, OutputFormat.WebP, default);

        Assert.Equal(ThumbnailOutcome.Generated, served.Outcome);
        Assert.Equal(2, Service.Generations);
        Assert.Null(await EntryAsync(src));
        Assert.Empty((await _f.Cache.StatsAsync(default)).NegativesByReason);
    }

    [Fact]
    public async Task Timeouts_BackOffExponentially_FromOneMinute_CappedAtADay()
    {
        var negatives = Negatives;
        var item = Path.Combine(_f.Library, "slow.mp4");
        var stat = (100L, 42L);
        foreach (var minutes in new[] { 1, 2, 4, 8 })
        {
            var now = _clock.GetUtcNow();
            var e = await negatives.RecordAsync(item, stat, FailureReason.Timeout, "took too long", default);
            Assert.Equal(now + TimeSpan.FromMinutes(minutes), e.RetryAt);
            Assert.Equal(FakeTimeProvider.Start, e.FirstFailedAt);
            Assert.NotNull(negatives.Active(item, stat));
            Assert.Equal(e.RetryAt, (await EntryAsync(item))!.RetryAt); // persisted as computed
            _clock.Advance(TimeSpan.FromMinutes(minutes));
            Assert.Null(negatives.Active(item, stat));
        }

        Assert.Equal(4, (await EntryAsync(item))!.Attempts);
        NegativeEntry last = null!;
        for (var i = 0; i < 20; i++)
        {
            last = await negatives.RecordAsync(item, stat, FailureReason.Timeout, "took too long", default);
        }

        Assert.Equal(24, last.Attempts);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromHours(24), last.RetryAt);

        // A different stat is a different file: attempts start again.
        var fresh = await negatives.RecordAsync(item, (101L, 42L), FailureReason.Timeout, "took too long", default);
        Assert.Equal((1, _clock.GetUtcNow() + TimeSpan.FromMinutes(1)), (fresh.Attempts, fresh.RetryAt));
    }

    [Fact]
    public async Task Jitter_OnlyLengthensABackOff_ByUpToItsFraction()
    {
        var negatives = new NegativeCache(_f.Cache.Index.Negatives, new NegativeCacheOptions { Clock = _clock, Jitter = 0.1 });
        var delays = new HashSet<TimeSpan>();
        for (var i = 0; i < 20; i++)
        {
            var e = await negatives.RecordAsync($"/x/{i}.jpg", (1L, 1L), FailureReason.Timeout, "slow", default);
            var delay = e.RetryAt - _clock.GetUtcNow();
            Assert.InRange(delay, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1.1));
            delays.Add(delay);
        }

        Assert.True(delays.Count > 1, "jitter should spread retry times");
    }

    [Fact]
    public async Task Entries_SurviveARestart_AndStillAnswerWithoutADecode()
    {
        var src = Path.Combine(_f.Library, "broken.jpg");
        await File.WriteAllBytesAsync(src, GoodAndBad().Bad);
        Assert.Equal(ThumbnailOutcome.Failed, (await Service.GetAsync(src, Grid, OutputFormat.WebP, default)).Outcome);

        var reopened = _f.Reopen();
        Assert.Equal(1, reopened.Negatives.Count);
        var again = await reopened.Service.GetAsync(src, Grid, OutputFormat.WebP, default);

        Assert.Equal((ThumbnailOutcome.Failed, FailureReason.DecodeFailed), (again.Outcome, again.Failure));
        Assert.Equal(0, reopened.Service.Generations);
        Assert.Equal(1, (await EntryAsync(src))!.Attempts);
    }

    [Fact]
    public async Task Operators_ListByReasonAndPage_CountInStats_AndClearByItemReasonOrAll()
    {
        var missing = Path.Combine(_f.Library, "missing.jpg");
        var a = Path.Combine(_f.Library, "a-broken.jpg");
        var b = Path.Combine(_f.Library, "b-broken.jpg");
        await File.WriteAllBytesAsync(a, GoodAndBad().Bad);
        await File.WriteAllBytesAsync(b, GoodAndBad().Bad);
        foreach (var p in new[] { missing, a, b })
        {
            await Service.GetAsync(p, Grid, OutputFormat.WebP, default);
        }

        var decode = await _f.Cache.ListNegativesAsync(FailureReason.DecodeFailed, 0, 10, default);
        Assert.Equal([a, b], decode.Select(e => e.Item));
        Assert.Equal([b], (await _f.Cache.ListNegativesAsync(FailureReason.DecodeFailed, 1, 1, default)).Select(e => e.Item));
        var stats = await _f.Cache.StatsAsync(default);
        Assert.Equal(2, stats.NegativesByReason["decode-failed"]);
        Assert.Equal(1, stats.NegativesByReason["not-found"]);

        Assert.Equal(1, await _f.Cache.ClearNegativesAsync(null, a, default));
        Assert.Equal(1, await _f.Cache.ClearNegativesAsync(FailureReason.NotFound, null, default));
        Assert.Equal([b], (await _f.Cache.ListNegativesAsync(null, 0, 10, default)).Select(e => e.Item));

        // Cleared items are tried on their next request; the others are not.
        var generations = Service.Generations;
        await Service.GetAsync(a, Grid, OutputFormat.WebP, default);
        await Service.GetAsync(b, Grid, OutputFormat.WebP, default);
        Assert.Equal(generations + 1, Service.Generations);

        Assert.Equal(2, await _f.Cache.ClearNegativesAsync(null, null, default));
        Assert.Equal(0, Negatives.Count);
        Assert.Empty(await _f.Cache.ListNegativesAsync(null, 0, 10, default));
    }
}
