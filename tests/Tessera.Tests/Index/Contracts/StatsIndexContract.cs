using Tessera.Core.Index;
using Tessera.Core.Storage;

namespace Tessera.Tests.Index.Contracts;

/// <summary>The summary is kept as the index changes; these tests hold it to what a scan of a model of the rows gives.</summary>
public abstract class StatsIndexContract<TFixture> : IndexContract<TFixture>
    where TFixture : IIndexFixture, new()
{
    private readonly Dictionary<string, RenditionRecord> _model = new(StringComparer.Ordinal);

    private IStatsIndex Stats => Index.Stats;

    [Fact]
    public async Task AnEmptyIndex_SummarizesToZeros()
    {
        var summary = await Stats.SummarizeAsync(default);
        Assert.Equal((0L, 0L, 0L), (summary.Items, summary.Renditions, summary.Bytes));
        Assert.Empty(summary.ByPreset);
        Assert.Empty(summary.Counters);
        Assert.Null(summary.GenerationP50Ms);
    }

    [Fact]
    public async Task Counters_Accumulate()
    {
        await Stats.AddCountersAsync(new Dictionary<string, long> { ["hits"] = 2, ["misses"] = 1 }, default);
        await Stats.AddCountersAsync(new Dictionary<string, long> { ["hits"] = 3 }, default);
        await Stats.AddCountersAsync(new Dictionary<string, long>(), default);
        Assert.Equal(new Dictionary<string, long> { ["hits"] = 5, ["misses"] = 1 }, (await Stats.SummarizeAsync(default)).Counters);
    }

    [Fact]
    public async Task Totals_StayExact_ThroughInsertsUpdatesDeletesAndARebuild()
    {
        var random = new Random(7);
        string[] presets = ["grid", "thumb", OriginalStore.PresetLabel];
        for (var i = 0; i < 300; i++)
        {
            var preset = presets[i % 3];
            await RecordAsync(new RenditionRecord(Key(i), preset == OriginalStore.PresetLabel ? OriginalStore.Extension : "webp",
                random.Next(1, 50_000), "h" + (i % 40), preset, 1, 1, i % 7 == 0 ? null : Math.Round(Math.Exp(random.NextDouble() * 11), 3)));
        }

        await AssertSummaryAsync();

        // Updates: new sizes and times, a preset learned, an extension changed.
        for (var i = 0; i < 300; i += 5)
        {
            await RecordAsync(new RenditionRecord(Key(i), i % 10 == 0 ? "jpg" : _model[Key(i)].Extension, random.Next(1, 50_000), null, null, 2, 2,
                i % 15 == 0 ? null : 0.5 + random.Next(0, 200_000)));
        }

        await Index.Eviction.TouchAsync([.. Enumerable.Range(0, 300).Select(i => new KeyValuePair<string, long>(Key(i), 10_000 + i))], default);
        await AssertSummaryAsync();

        // Deletes, four ways.
        Forget(await Index.Eviction.DeleteRenditionsAsync([.. Enumerable.Range(0, 30).Select(Key)], default));
        Forget((await Index.Renditions.RemoveRenditionsAsync("thumb", ["h1", "h4"], default)).Select(k => k.Key));
        Forget((await Index.Renditions.RemoveRenditionsAsync(null, ["h2"], default)).Select(k => k.Key));
        await Index.Maintenance.DeleteRenditionRowAsync(Key(299), default);
        Forget([Key(299)]);
        await AssertSummaryAsync();

        // A rebuild from "files": some rows gone, one new file that no row knew.
        var files = _model.Values.Where((_, n) => n % 4 != 0).Select(r => new StoredRendition(r.Key, r.Extension, r.Bytes + 1, DateTimeOffset.UnixEpoch))
            .Append(new StoredRendition(Key(1000), "webp", 777, DateTimeOffset.UnixEpoch)).ToList();
        Assert.Equal(files.Count, await Index.Maintenance.RebuildRenditionsAsync(files, default));
        var before = _model.ToDictionary();
        _model.Clear();
        foreach (var f in files)
        {
            var known = before.GetValueOrDefault(f.Key);
            _model[f.Key] = new RenditionRecord(f.Key, f.Extension, f.Length, known?.ContentHash, known?.Preset, 0, 0, known?.GenerationMs);
        }

        await AssertSummaryAsync();
        Assert.Equal(_model.Values.Sum(r => r.Bytes), await Index.Eviction.TotalBytesAsync(default));
    }

    [Fact]
    public async Task Items_CountFingerprints()
    {
        for (var i = 0; i < 5; i++)
        {
            await Index.Fingerprints.PutFingerprintAsync(new Fingerprint($"/lib/{i}.jpg", i, i, "h" + i), default);
        }

        await Index.Fingerprints.PutFingerprintAsync(new Fingerprint("/lib/0.jpg", 9, 9, "h9"), default);
        await Index.Cleanup.RemoveDeletedSourcesAsync(["/lib/1.jpg", "/lib/2.jpg"], commit: true, default);
        await Index.Cleanup.RemoveDeletedSourcesAsync(["/lib/3.jpg"], commit: false, default);
        Assert.Equal(3, (await Stats.SummarizeAsync(default)).Items);
    }

    [Fact]
    public async Task Percentiles_AreWithinOneBucketOfTheExactOnes()
    {
        var times = Enumerable.Range(1, 1000).Select(i => i * 0.37 + (i % 13) * 11.0).ToList();
        for (var i = 0; i < times.Count; i++)
        {
            await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(i), "webp", 1, "h", "grid", 1, 1, times[i]), default);
        }

        var summary = await Stats.SummarizeAsync(default);
        AssertNear(Exact(times, 0.50), summary.GenerationP50Ms);
        AssertNear(Exact(times, 0.95), summary.GenerationP95Ms);
        AssertNear(Exact(times, 0.99), summary.GenerationP99Ms);
    }

    [Fact]
    public async Task SlowestSources_AreSlowestFirst_NamedByTheirPathWhenKnown()
    {
        await Index.Fingerprints.PutFingerprintAsync(new Fingerprint("/lib/slow.jpg", 1, 1, "slow"), default);
        await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(1), "webp", 1, "slow", "grid", 1, 1, 900), default);
        await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(2), "webp", 1, "nofp", "thumb", 1, 1, 500), default);
        await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(3), "webp", 1, "fast", "grid", 1, 1, 5), default);
        await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(4), "webp", 1, null, null, 1, 1, null), default);
        Assert.Equal([new SlowSource("/lib/slow.jpg", "grid", 900), new SlowSource("nofp", "thumb", 500)], await Stats.SlowestSourcesAsync(2, default));
        Assert.Equal(3, (await Stats.SlowestSourcesAsync(10, default)).Count);
    }

    private async Task RecordAsync(RenditionRecord record)
    {
        await Index.Renditions.RecordRenditionAsync(record, default);
        var known = _model.GetValueOrDefault(record.Key);
        _model[record.Key] = record with
        {
            ContentHash = record.ContentHash ?? known?.ContentHash,
            Preset = record.Preset ?? known?.Preset,
            GenerationMs = record.GenerationMs ?? known?.GenerationMs,
        };
    }

    private void Forget(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            Assert.True(_model.Remove(key), $"{key} was deleted but not in the model");
        }
    }

    /// <summary>What the summary's old queries gave, computed from the model.</summary>
    private async Task AssertSummaryAsync()
    {
        var summary = await Stats.SummarizeAsync(default);
        var rows = _model.Values.ToList();
        Assert.Equal(rows.Count(r => r.Extension != OriginalStore.Extension), summary.Renditions);
        Assert.Equal(rows.Sum(r => r.Bytes), summary.Bytes);
        var byPreset = rows.GroupBy(r => r.Preset ?? "(rebuilt)").ToDictionary(g => g.Key, g => new PresetUsage(g.Count(), g.Sum(r => r.Bytes)));
        Assert.Equal(byPreset.OrderBy(kv => kv.Key, StringComparer.Ordinal), summary.ByPreset.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        var times = rows.Where(r => r.GenerationMs is not null).Select(r => r.GenerationMs!.Value).ToList();
        AssertNear(Exact(times, 0.50), summary.GenerationP50Ms);
        AssertNear(Exact(times, 0.95), summary.GenerationP95Ms);
        AssertNear(Exact(times, 0.99), summary.GenerationP99Ms);
    }

    private static double? Exact(List<double> times, double p) =>
        times.Count == 0 ? null : times.Order().ElementAt((int)Math.Max(0, Math.Ceiling(p * times.Count) - 1));

    private static void AssertNear(double? exact, double? actual)
    {
        if (exact is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        var tolerance = Math.Max(1.0, exact.Value * 0.12);
        Assert.True(Math.Abs(actual.Value - exact.Value) <= tolerance, $"percentile {actual} is not within {tolerance:F3} of {exact}");
    }
}
