using Tessera.Core.Cache;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Cache;

public sealed class ThumbnailServiceTests : IDisposable
{
    private static readonly Preset Grid = new("grid", 400, 400);
    private readonly CacheFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task IdenticalFiles_ShareOneRendition()
    {
        var a = Images.WriteSolidJpeg(Path.Combine(_f.Library, "a.jpg"), 900, 600);
        var b = Path.Combine(_f.Library, "sub", "copy of a.jpg");
        Directory.CreateDirectory(Path.GetDirectoryName(b)!);
        File.Copy(a, b);

        var first = await _f.Cache.Service.GetAsync(a, Grid, OutputFormat.WebP, default);
        var second = await _f.Cache.Service.GetAsync(b, Grid, OutputFormat.WebP, default);

        Assert.Equal(ThumbnailOutcome.Generated, first.Outcome);
        Assert.Equal(ThumbnailOutcome.Hit, second.Outcome);
        Assert.Equal(first.Key, second.Key);
        Assert.Single(_f.RenditionFiles());
        Assert.Equal(1, _f.Cache.Service.Generations);
    }

    [Fact]
    public async Task Rendition_IsPublishedWhole_AtItsShardedPath_WithNothingLeftInTmp()
    {
        var src = Images.WriteSolidJpeg(Path.Combine(_f.Library, "a.jpg"), 900, 600);
        var result = await _f.Cache.Service.GetAsync(src, Grid, OutputFormat.WebP, default);
        var path = _f.Cache.Store.PathOf(result.Key, "webp");
        Assert.EndsWith($"renditions/{result.Key[..2]}/{result.Key[2..4]}/{result.Key}.webp", path, StringComparison.Ordinal);
        Assert.Equal(result.Bytes, await File.ReadAllBytesAsync(path));
        Assert.Empty(Directory.GetFiles(_f.Cache.Folder.TempPath));
    }

    [Fact]
    public async Task InterruptedWrite_LeavesNoFinalFile_AndItsTempFileIsSweptAtStart()
    {
        var key = new string('a', 64);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _f.Cache.Store.WriteAsync(key, "webp", new byte[1000], cancelled.Token));
        Assert.False(File.Exists(_f.Cache.Store.PathOf(key, "webp")));

        // A crash mid-write leaves a temp file behind (its owner's lock no longer held): the next start removes it,
        // and an unowned one (an older Tessera) once it is over an hour old.
        var tmp = _f.Cache.Folder.TempPath;
        await File.WriteAllBytesAsync(Path.Combine(Directory.CreateDirectory(Path.Combine(tmp, "owners")).FullName, "1-crashed.lock"), []);
        await File.WriteAllBytesAsync(Path.Combine(tmp, "1-crashed~" + key + ".partial.webp"), new byte[10]);
        var unowned = Path.Combine(tmp, key + ".old.webp");
        await File.WriteAllBytesAsync(unowned, new byte[10]);
        File.SetLastWriteTimeUtc(unowned, DateTime.UtcNow.AddHours(-2));
        var reopened = _f.Reopen();
        Assert.Equal(2, reopened.SweptTempFiles);
        Assert.Empty(Directory.GetFiles(reopened.Folder.TempPath));
    }

    [Fact]
    public async Task ChangedFile_GetsANewRendition_AndTheOldOneIsNotServed()
    {
        var src = Path.Combine(_f.Library, "cover.jpg");
        Images.WriteSolidJpeg(src, 900, 600, 255, 0, 0);
        var before = await _f.Cache.Service.GetAsync(src, Grid, OutputFormat.Png, default);

        Images.WriteSolidJpeg(src, 600, 900, 0, 0, 255);
        File.SetLastWriteTimeUtc(src, DateTime.UtcNow.AddMinutes(1));
        var after = await _f.Cache.Service.GetAsync(src, Grid, OutputFormat.Png, default);

        Assert.NotEqual(before.Key, after.Key);
        Assert.Equal(ThumbnailOutcome.Generated, after.Outcome);
        var header = VipsImage.Probe(after.Bytes);
        Assert.Equal((267, 400), (header.Width, header.Height));
    }

    [Fact]
    public async Task SameSizeAndMtime_IsTrustedWithoutRehashing_ButAnyChangeRehashes()
    {
        var src = Images.WriteSolidJpeg(Path.Combine(_f.Library, "a.jpg"), 300, 200);
        var k1 = (await _f.Cache.Service.PrepareAsync(src, Grid, OutputFormat.WebP, default)).Request!.Key;
        var fp = await _f.Cache.Index.Fingerprints.GetFingerprintAsync(src, default);
        Assert.NotNull(fp);
        Assert.Equal(await Tessera.Core.Sources.Fingerprinter.HashAsync(src, default), fp.ContentHash);

        File.SetLastWriteTimeUtc(src, DateTime.UtcNow.AddHours(1)); // touched, same bytes
        var k2 = (await _f.Cache.Service.PrepareAsync(src, Grid, OutputFormat.WebP, default)).Request!.Key;
        Assert.Equal(k1, k2); // rehashed, same content, same key
    }

    [Fact]
    public async Task PipelineVersion_IsPartOfTheKey()
    {
        Assert.NotEqual(RenditionKey.Compute("abc", "x", 1), RenditionKey.Compute("abc", "x", 2));
        Assert.Equal(RenditionKey.Compute("abc", "x", 1), RenditionKey.Compute("abc", "x", 1));
        var src = Images.WriteSolidJpeg(Path.Combine(_f.Library, "a.jpg"), 300, 200);
        var key = (await _f.Cache.Service.PrepareAsync(src, Grid, OutputFormat.WebP, default)).Request!.Key;
        var hash = await Tessera.Core.Sources.Fingerprinter.HashAsync(src, default);
        Assert.Equal(RenditionKey.Compute(hash, Grid.CanonicalString(OutputFormat.WebP), PipelineOptions.Version), key);
    }

    [Fact]
    public async Task LostIndex_IsRebuiltFromTheFiles_AtStart()
    {
        for (var i = 0; i < 3; i++)
        {
            var src = Images.WriteSolidJpeg(Path.Combine(_f.Library, $"{i}.jpg"), 500 + i, 400, (byte)(i * 50), 0, 0);
            await _f.Cache.Service.GetAsync(src, Grid, OutputFormat.WebP, default);
        }

        _f.Cache.Dispose();
        foreach (var f in Directory.GetFiles(_f.Data, "tessera.db*"))
        {
            File.Delete(f);
        }

        var reopened = _f.Reopen();
        Assert.Equal(3, reopened.RebuiltRenditions);
        var stats = await reopened.StatsAsync(default);
        Assert.Equal(3, stats.Renditions);
        Assert.Equal(_f.RenditionFiles().Sum(f => new FileInfo(f).Length), stats.Bytes);
    }

    [Fact]
    public async Task RebuildIndex_DropsRowsWhoseFilesAreGone_AndKeepsWhatItKnew()
    {
        var a = Images.WriteSolidJpeg(Path.Combine(_f.Library, "a.jpg"), 500, 400);
        var b = Images.WriteSolidJpeg(Path.Combine(_f.Library, "b.jpg"), 400, 500, 1, 2, 3);
        var ra = await _f.Cache.Service.GetAsync(a, Grid, OutputFormat.WebP, default);
        await _f.Cache.Service.GetAsync(b, Grid, OutputFormat.WebP, default);
        File.Delete(_f.Cache.Store.PathOf(ra.Key, "webp"));

        Assert.Equal(1, await _f.Cache.RebuildIndexAsync(default));
        var stats = await _f.Cache.StatsAsync(default);
        Assert.Equal(1, stats.Renditions);
        Assert.True(stats.ByPreset.ContainsKey("grid")); // preset name kept for the surviving row
    }

    [Fact]
    public async Task MissingOrUndecodableSource_FailsWithAReason_AndIsNotRetriedAtOnce()
    {
        var missing = await _f.Cache.Service.GetAsync(Path.Combine(_f.Library, "nope.jpg"), Grid, OutputFormat.WebP, default);
        Assert.Equal((ThumbnailOutcome.Failed, FailureReason.NotFound), (missing.Outcome, missing.Failure));

        var bad = Path.Combine(_f.Library, "bad.jpg");
        await File.WriteAllTextAsync(bad, "<html>not an image</html>");
        var first = await _f.Cache.Service.GetAsync(bad, Grid, OutputFormat.WebP, default);
        var second = await _f.Cache.Service.GetAsync(bad, Grid, OutputFormat.WebP, default);
        Assert.Equal(FailureReason.DecodeFailed, first.Failure);
        Assert.Equal(FailureReason.DecodeFailed, second.Failure);
        Assert.Equal(1, _f.Cache.Service.Generations); // the second answer came from memory
        Assert.Empty(_f.RenditionFiles());
    }

    [Fact]
    public async Task VideoFrame_AndEmbeddedAudioCover_BecomeThumbnails()
    {
        var video = Path.Combine(_f.Library, "clip.mov");
        var audio = Path.Combine(_f.Library, "song.mp3");
        File.Copy(Corpus.Path("formats/filetype__fixture-mjpeg.mov"), video);
        File.Copy(Corpus.Path("formats/filetype__fixture-bad-offset.mp3"), audio);

        var v = await _f.Cache.Service.GetAsync(video, Grid, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Generated, v.Outcome);
        Assert.Equal((400, 300), (VipsImage.Probe(v.Bytes).Width, VipsImage.Probe(v.Bytes).Height));

        var a = await _f.Cache.Service.GetAsync(audio, Grid, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Generated, a.Outcome);
        Assert.Equal((400, 400), (VipsImage.Probe(a.Bytes).Width, VipsImage.Probe(a.Bytes).Height));
    }
}
