using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using static Tessera.Tests.Eviction.EvictionSupport;

namespace Tessera.Tests.Cache;

public sealed class CleanupTests : IDisposable
{
    private static readonly Preset Thumb = new("thumb", 150, 150);
    private readonly CacheFixture _f = RoomyCache();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task DeletedSource_LosesItsFingerprintAndRenditions_WhileASharedContentSiblingKeepsTheirs()
    {
        var a = Images.WriteSolidJpeg(Path.Combine(_f.Library, "a.jpg"), 300, 200);
        var b = Path.Combine(_f.Library, "b.jpg");
        File.Copy(a, b); // same content: one shared rendition
        var c = Images.WriteSolidJpeg(Path.Combine(_f.Library, "c.jpg"), 200, 300, 1, 2, 3);
        var shared = await Generate(a, Grid);
        Assert.Equal(shared.Key, (await _f.Cache.Service.GetAsync(b, Grid, OutputFormat.WebP, default)).Key);
        var gone = new[] { await Generate(c, Grid), await Generate(c, Thumb) };

        File.Delete(a);
        File.Delete(c);
        var result = await _f.Cache.Cleanup.RunAsync(new CleanupOptions(), default);

        Assert.Equal(2, result.Fingerprints);
        Assert.Equal(new CleanupCount(2, gone.Sum(g => (long)g.Bytes.Length)), result.DeletedSources);
        foreach (var g in gone)
        {
            Assert.False(HasRow(_f, g.Key));
            Assert.False(HasFile(_f, g.Key));
            Assert.Null(await _f.Cache.Service.GetByKeyAsync(g.Key, OutputFormat.WebP)); // gone from memory too
        }

        Assert.True(HasRow(_f, shared.Key));
        Assert.True(HasFile(_f, shared.Key));
        Assert.Null(await _f.Cache.Index.Fingerprints.GetFingerprintAsync(a, default));
        Assert.Null(await _f.Cache.Index.Fingerprints.GetFingerprintAsync(c, default));
        Assert.NotNull(await _f.Cache.Index.Fingerprints.GetFingerprintAsync(b, default));
    }

    [Fact]
    public async Task MostSourcesVanishingAtOnce_LooksLikeAnUnmountedFolder_AndIsLeftAloneUnlessForced()
    {
        var folder = Path.Combine(_f.Library, "disk");
        for (var i = 0; i < 24; i++)
        {
            await Generate(Images.WriteSolidJpeg(Path.Combine(folder, $"{i}.jpg"), 64 + i, 48, (byte)i, 0, 0), Grid);
        }

        Images.WriteSolidJpeg(Path.Combine(_f.Library, "kept.jpg"), 50, 50);
        await Generate(Path.Combine(_f.Library, "kept.jpg"), Grid);
        Directory.Delete(folder, recursive: true); // as if the disk were unmounted

        var careful = await _f.Cache.Cleanup.RunAsync(new CleanupOptions(), default);
        Assert.Equal(24, careful.SkippedMissingSources);
        Assert.Equal(CleanupCount.None, careful.DeletedSources);
        Assert.Equal(25, (await _f.Cache.StatsAsync(default)).Renditions);

        var forced = await _f.Cache.Cleanup.RunAsync(new CleanupOptions { Force = true }, default);
        Assert.Equal(0, forced.SkippedMissingSources);
        Assert.Equal(24, forced.DeletedSources.Count);
        Assert.Equal(1, (await _f.Cache.StatsAsync(default)).Renditions);
    }

    [Fact]
    public async Task RowWhoseFileWasDeleted_IsDropped()
    {
        var r = await MakeRenditionsAsync(_f, 2);
        File.Delete(_f.Cache.Store.PathOf(r[0].Key, "webp"));

        var result = await _f.Cache.Cleanup.RunAsync(new CleanupOptions(), default);

        Assert.Equal(1, result.RowsWithoutFiles.Count);
        Assert.False(HasRow(_f, r[0].Key));
        Assert.True(HasRow(_f, r[1].Key));
        Assert.Equal(1, result.Renditions); // and nothing else
    }

    [Fact]
    public async Task OrphanFilesAndTempFiles_OlderThanTheGracePeriod_AreDeleted_FreshOnesKept()
    {
        var r = await MakeRenditionsAsync(_f, 1);
        var old = DateTime.UtcNow.AddHours(-1);
        File.SetLastWriteTimeUtc(_f.Cache.Store.PathOf(r[0].Key, "webp"), old); // old, but it has a row
        var stale = await Orphan('a', old);
        var fresh = await Orphan('b', DateTime.UtcNow);
        var staleTemp = Path.Combine(_f.Cache.Folder.TempPath, "x.tmp");
        var freshTemp = Path.Combine(_f.Cache.Folder.TempPath, "y.tmp");
        await File.WriteAllTextAsync(staleTemp, "abc");
        await File.WriteAllTextAsync(freshTemp, "abc");
        File.SetLastWriteTimeUtc(staleTemp, old);

        var result = await _f.Cache.Cleanup.RunAsync(new CleanupOptions(), default);

        Assert.Equal(new CleanupCount(1, 5), result.FilesWithoutRows);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.True(HasFile(_f, r[0].Key));
        Assert.Equal(new CleanupCount(1, 3), result.TempFiles);
        Assert.False(File.Exists(staleTemp));
        Assert.True(File.Exists(freshTemp));
    }

    [Fact]
    public async Task OlderThan_RemovesOnlyRenditionsNotUsedSince()
    {
        var r = await MakeRenditionsAsync(_f, 4); // all last used in 1970
        _f.Cache.Access.Touch(r[0].Key); // used now: pending in memory, flushed by the cleanup
        _f.Cache.Access.Touch(r[1].Key);

        var result = await _f.Cache.Cleanup.RunAsync(new CleanupOptions { OlderThan = TimeSpan.FromDays(30) }, default);

        Assert.Equal(new CleanupCount(2, r[2].Bytes.Length + r[3].Bytes.Length), result.OlderThan);
        Assert.True(HasRow(_f, r[0].Key) && HasFile(_f, r[0].Key));
        Assert.True(HasRow(_f, r[1].Key) && HasFile(_f, r[1].Key));
        Assert.False(HasRow(_f, r[2].Key) || HasFile(_f, r[2].Key));
        Assert.False(HasRow(_f, r[3].Key) || HasFile(_f, r[3].Key));
    }

    [Fact]
    public async Task MaxSize_EndsAtOrBelowTheSize_RemovingTheLeastRecentlyUsed()
    {
        var r = await MakeRenditionsAsync(_f, 6);
        var total = r.Sum(x => (long)x.Bytes.Length);
        var max = total / 2;

        var result = await _f.Cache.Cleanup.RunAsync(new CleanupOptions { MaxBytes = max }, default);

        var left = await _f.Cache.EvictionIndex.TotalBytesAsync(default);
        Assert.True(left <= max, $"{left} > {max}");
        Assert.Equal(total - left, result.OverSize.Bytes);
        Assert.Equal(6 - result.OverSize.Count, _f.RenditionFiles().Length);
        Assert.False(HasRow(_f, r[0].Key)); // the oldest goes first
        Assert.True(HasRow(_f, r[5].Key)); // the newest stays
    }

    [Fact]
    public async Task DryRun_ChangesNothing_AndReportsWhatTheRealRunThenRemoves()
    {
        var r = await MakeRenditionsAsync(_f, 6); // all last used in 1970
        _f.Cache.Access.Touch(r[4].Key);
        _f.Cache.Access.Touch(r[5].Key);

        File.Delete(SourceOf(_f, 0)); // deleted source, and also old: counted once
        File.Delete(_f.Cache.Store.PathOf(r[1].Key, "webp")); // row without file, and also old
        await Orphan('c', DateTime.UtcNow.AddHours(-1));
        var options = new CleanupOptions { OlderThan = TimeSpan.FromDays(1), MaxBytes = r[4].Bytes.Length + r[5].Bytes.Length - 1, DryRun = true };
        var files = _f.RenditionFiles();

        var dry = await _f.Cache.Cleanup.RunAsync(options, default);

        Assert.Equal(files, _f.RenditionFiles());
        Assert.All(r, x => Assert.True(HasRow(_f, x.Key)));
        Assert.NotNull(await _f.Cache.Index.Fingerprints.GetFingerprintAsync(SourceOf(_f, 0), default));
        Assert.Equal(1, dry.Fingerprints);
        Assert.Equal(1, dry.DeletedSources.Count);
        Assert.Equal(1, dry.RowsWithoutFiles.Count);
        Assert.Equal(1, dry.FilesWithoutRows.Count);
        Assert.Equal(2, dry.OlderThan.Count); // #2 and #3
        Assert.Equal(1, dry.OverSize.Count);

        var real = await _f.Cache.Cleanup.RunAsync(options with { DryRun = false }, default);

        Assert.Equal(dry, real);
        Assert.Single(_f.RenditionFiles());
        Assert.True(HasRow(_f, r[4].Key) ^ HasRow(_f, r[5].Key));
    }

    private async Task<ThumbnailResult> Generate(string source, Preset preset)
    {
        var result = await _f.Cache.Service.GetAsync(source, preset, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Generated, result.Outcome);
        return result;
    }

    /// <summary>A rendition file with no row, as a crashed or concurrent writer leaves.</summary>
    private async Task<string> Orphan(char digit, DateTime writtenAt)
    {
        var key = new string(digit, 64);
        await _f.Cache.Store.WriteAsync(key, "webp", "12345"u8.ToArray(), default);
        var path = _f.Cache.Store.PathOf(key, "webp");
        File.SetLastWriteTimeUtc(path, writtenAt);
        return path;
    }
}
