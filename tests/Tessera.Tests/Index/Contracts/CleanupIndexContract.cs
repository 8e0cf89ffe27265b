using Tessera.Core.Index;

namespace Tessera.Tests.Index.Contracts;

public abstract class CleanupIndexContract<TFixture> : IndexContract<TFixture>
    where TFixture : IIndexFixture, new()
{
    private ICleanupIndex Cleanup => Index.Cleanup;

    [Fact]
    public async Task FingerprintPaths_PageInPathOrder()
    {
        foreach (var name in new[] { "c", "a", "d", "b", "e" })
        {
            await Index.Fingerprints.PutFingerprintAsync(new Fingerprint($"/lib/{name}.jpg", 1, 1, name), default);
        }

        var seen = new List<string>();
        var after = string.Empty;
        while (await Cleanup.FingerprintPathsAsync(after, 2, default) is { Count: > 0 } page)
        {
            Assert.True(page.Count <= 2);
            seen.AddRange(page);
            after = page[^1];
        }

        Assert.Equal(["/lib/a.jpg", "/lib/b.jpg", "/lib/c.jpg", "/lib/d.jpg", "/lib/e.jpg"], seen);
    }

    [Fact]
    public async Task RemoveDeletedSources_TakesTheirRenditionsAndDerivedOriginals_ButKeepsWhatIsStillNamed()
    {
        await Index.Fingerprints.PutFingerprintAsync(new Fingerprint("/lib/gone.mp4", 1, 1, "gone"), default);
        await Index.Fingerprints.PutFingerprintAsync(new Fingerprint("/lib/kept.jpg", 1, 1, "kept"), default);
        await Index.Derived.PutDerivedAsync(new DerivedOriginal("gone", "frame", "frame-of-gone", null), default);
        await Index.Derived.PutDerivedAsync(new DerivedOriginal("https://x/y.jpg", "download", "download", null), default);
        await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(1), "webp", 10, "gone", "grid", 1, 1, 1), default);
        await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(2), "webp", 20, "frame-of-gone", "grid", 1, 1, 1), default);
        await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(3), "webp", 30, "kept", "grid", 1, 1, 1), default);
        await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(4), "webp", 40, "download", "grid", 1, 1, 1), default);
        await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(5), "webp", 50, null, null, 1, 1, null), default);

        var dry = await Cleanup.RemoveDeletedSourcesAsync(["/lib/gone.mp4", "/lib/never.jpg"], commit: false, default);
        Assert.Equal(1, dry.Fingerprints);
        Assert.Equal([new StoredKey(Key(1), "webp", 10), new StoredKey(Key(2), "webp", 20)], dry.Renditions.OrderBy(k => k.Key, StringComparer.Ordinal));
        Assert.Equal(5, (await Index.Maintenance.RenditionKeysAsync(default)).Count); // rolled back
        Assert.NotNull(await Index.Fingerprints.GetFingerprintAsync("/lib/gone.mp4", default));

        var done = await Cleanup.RemoveDeletedSourcesAsync(["/lib/gone.mp4"], commit: true, default);
        Assert.Equal(dry.Renditions.OrderBy(k => k.Key, StringComparer.Ordinal), done.Renditions.OrderBy(k => k.Key, StringComparer.Ordinal));
        Assert.Equal([Key(3), Key(4), Key(5)], (await Index.Maintenance.RenditionKeysAsync(default)).Select(k => k.Key).Order(StringComparer.Ordinal));
        Assert.Null(await Index.Derived.GetDerivedAsync("gone", "frame", default));
        Assert.NotNull(await Index.Derived.GetDerivedAsync("https://x/y.jpg", "download", default));
        Assert.Equal(120, await Index.Eviction.TotalBytesAsync(default));
    }

    [Fact]
    public async Task RenditionPage_PagesInKeyOrder_OptionallyOnlyThoseUnusedSince()
    {
        for (var i = 0; i < 5; i++)
        {
            await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(i), "webp", i, "h", "grid", 1, 1, 1), default);
        }

        await Index.Eviction.TouchAsync([.. Enumerable.Range(0, 5).Select(i => new KeyValuePair<string, long>(Key(i), i % 2 == 0 ? 100 : 9_999_999_999))], default);
        Assert.Equal([Key(0), Key(1)], (await Cleanup.RenditionPageAsync(string.Empty, null, 2, default)).Select(k => k.Key));
        Assert.Equal([Key(2), Key(3)], (await Cleanup.RenditionPageAsync(Key(1), null, 2, default)).Select(k => k.Key));
        Assert.Equal([Key(2), Key(4)], (await Cleanup.RenditionPageAsync(Key(0), 5_000_000_000, 10, default)).Select(k => k.Key));
    }
}
