using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cache;

/// <summary>Disk hits with no memory cache (every hit from disk): a rendition file is read and checked whole the first
/// time this process serves it, then handed out as the checked file for as long as it keeps that stat; a file
/// written since, or gone, is never handed out unchecked.</summary>
public sealed class CheckedFileTests : IDisposable
{
    private static readonly Preset Grid = new("grid", 400, 400);
    private readonly CacheFixture _f = new(o => o.HotCacheBytes = 1);

    public void Dispose() => _f.Dispose();

    private async Task<(ThumbnailRequest Request, byte[] Bytes, string File)> OneAsync()
    {
        var src = Images.WriteSolidJpeg(Path.Combine(_f.Library, "a.jpg"), 900, 600, 200, 100, 50);
        var prepared = await _f.Cache.Service.PrepareAsync(src, Grid, OutputFormat.WebP, default);
        var made = await _f.Cache.Service.GetAsync(prepared.Request!, fileOk: true, default);
        Assert.Equal(ThumbnailOutcome.Generated, made.Outcome);
        return (prepared.Request!, made.Bytes, _f.Cache.Store.PathOf(made.Key, "webp"));
    }

    [Fact]
    public async Task TheFirstDiskHit_IsReadAndChecked_TheNextIsTheCheckedFile()
    {
        var (request, bytes, file) = await OneAsync();

        var first = await _f.Cache.Service.GetAsync(request, fileOk: true, default);
        Assert.Equal(ThumbnailOutcome.Hit, first.Outcome);
        Assert.Null(first.File);
        Assert.Equal(bytes, first.Bytes);

        var second = await _f.Cache.Service.GetAsync(request, fileOk: true, default);
        Assert.Equal(ThumbnailOutcome.Hit, second.Outcome);
        Assert.Equal(new RenditionFile(file, bytes.Length), second.File);
        Assert.Empty(second.Bytes);

        // A caller that did not ask for a file gets bytes.
        Assert.Equal(bytes, (await _f.Cache.Service.GetAsync(request, default)).Bytes);
    }

    [Fact]
    public async Task ACheckedFile_DamagedInPlace_IsCheckedAgain_AndNeverHandedOut()
    {
        var (request, bytes, file) = await OneAsync();
        await _f.Cache.Service.GetAsync(request, fileOk: true, default);
        Assert.NotNull((await _f.Cache.Service.GetAsync(request, fileOk: true, default)).File);

        var damaged = (byte[])bytes.Clone();
        damaged[^10] ^= 0xFF; // same length; the write changes the file's ctime
        await File.WriteAllBytesAsync(file, damaged);

        var again = await _f.Cache.Service.GetAsync(request, fileOk: true, default);
        Assert.Null(again.File);
        Assert.Equal(ThumbnailOutcome.Generated, again.Outcome);
        Assert.Equal(bytes, again.Bytes);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task ACheckedFile_Purged_IsAMiss_NotHandedOut()
    {
        var (request, _, file) = await OneAsync();
        await _f.Cache.Service.GetAsync(request, fileOk: true, default);
        Assert.NotNull((await _f.Cache.Service.GetAsync(request, fileOk: true, default)).File);

        var purged = await _f.Cache.Get<CacheAdmin>().PurgeFileAsync(Path.Combine(_f.Library, "a.jpg"), default);
        Assert.Equal(1, purged.Renditions);
        Assert.False(File.Exists(file));

        var after = await _f.Cache.Service.GetAsync(request, fileOk: true, default);
        Assert.Null(after.File);
        Assert.Equal(ThumbnailOutcome.Generated, after.Outcome);
    }
}
