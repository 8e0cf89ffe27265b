using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Sources;

/// <summary>A file rewritten with the same size and mtime (<c>cp -p</c>, <c>rsync -t</c>) is seen by its ctime and
/// inode; a file left alone is never hashed again.</summary>
public sealed class ChangeDetectionTests : IDisposable
{
    private static readonly Preset Grid = new("grid", 200, 200);
    private readonly CacheFixture _f = new();

    public void Dispose() => _f.Dispose();

    /// <summary>Two different JPEGs padded to one length (bytes after EOI are ignored by decoders).</summary>
    private static (byte[] Red, byte[] Blue) SameLength()
    {
        var red = Images.SolidJpeg(320, 240, 220, 20, 20);
        var blue = Images.SolidJpeg(320, 240, 20, 20, 220);
        var length = Math.Max(red.Length, blue.Length);
        Array.Resize(ref red, length);
        Array.Resize(ref blue, length);
        return (red, blue);
    }

    [Fact]
    public async Task FileReplacedWithSameSizeAndMtime_ServesTheNewThumbnail_AlsoAfterARestart()
    {
        var (red, blue) = SameLength();
        var src = Path.Combine(_f.Library, "cover.jpg");
        await File.WriteAllBytesAsync(src, red);
        var mtime = File.GetLastWriteTimeUtc(src);
        var before = await _f.Cache.Service.GetAsync(src, Grid, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Generated, before.Outcome);
        Assert.Equal(ThumbnailOutcome.Hit, (await _f.Cache.Service.GetAsync(src, Grid, OutputFormat.WebP, default)).Outcome);

        // cp -p: written in place, the mtime put back.
        await File.WriteAllBytesAsync(src, blue);
        File.SetLastWriteTimeUtc(src, mtime);
        Assert.Equal((red.Length, mtime), (new FileInfo(src).Length, File.GetLastWriteTimeUtc(src)));

        var after = await _f.Cache.Service.GetAsync(src, Grid, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Generated, after.Outcome);
        Assert.NotEqual(before.Key, after.Key);
        Assert.True(Blueish(after.Bytes), "the served thumbnail is still the old (red) one");

        // A restart reads the fingerprint from the index, which holds the new stamp and hash.
        var reopened = _f.Reopen();
        var restarted = await reopened.Service.GetAsync(src, Grid, OutputFormat.WebP, default);
        Assert.Equal((ThumbnailOutcome.Hit, after.Key), (restarted.Outcome, restarted.Key));
    }

    [Fact]
    public async Task FileReplacedByRenameWithSameSizeAndMtime_IsSeenAfterARestart()
    {
        var (red, blue) = SameLength();
        var src = Path.Combine(_f.Library, "cover.jpg");
        await File.WriteAllBytesAsync(src, red);
        var mtime = File.GetLastWriteTimeUtc(src);
        var before = await _f.Cache.Service.GetAsync(src, Grid, OutputFormat.WebP, default);

        // rsync -t: a new file renamed over the old one (new inode), mtime copied; seen by a restarted process.
        var staged = Path.Combine(_f.Library, ".cover.jpg.tmp");
        await File.WriteAllBytesAsync(staged, blue);
        File.SetLastWriteTimeUtc(staged, mtime);
        File.Move(staged, src, overwrite: true);
        var reopened = _f.Reopen();

        var after = await reopened.Service.GetAsync(src, Grid, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Generated, after.Outcome);
        Assert.NotEqual(before.Key, after.Key);
        Assert.True(Blueish(after.Bytes));
    }

    [Fact]
    public async Task AnUntouchedFile_IsNotHashedAgain_EvenAfterARestart()
    {
        var src = Images.WriteSolidJpeg(Path.Combine(_f.Library, "still.jpg"), 320, 240);
        var first = await _f.Cache.Get<Fingerprinter>().GetAsync(src, default);
        Assert.NotNull(first.CtimeNanoseconds); // statx is there on Linux, so the stamp is whole
        Assert.NotNull(first.Inode);

        // Fake the stored hash: a rehash would replace it, so seeing it again proves nothing was read.
        await _f.Cache.Index.Fingerprints.PutFingerprintAsync(first with { ContentHash = "not-rehashed" }, default);
        var reopened = _f.Reopen();
        Assert.Equal("not-rehashed", (await reopened.Get<Fingerprinter>().GetAsync(src, default)).ContentHash);
    }

    [Fact]
    public void FileStamp_MatchesFileInfo_ForSizeAndMtime()
    {
        var src = Images.WriteSolidJpeg(Path.Combine(_f.Library, "a.jpg"), 64, 64);
        File.SetLastWriteTimeUtc(src, new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc).AddTicks(1234567));
        var stamp = FileStamp.Of(src)!.Value;
        var info = new FileInfo(src);
        Assert.Equal((info.Length, info.LastWriteTimeUtc.Ticks), (stamp.Size, stamp.MtimeTicks));
        Assert.Null(FileStamp.Of(_f.Library)); // a folder has no stamp
        Assert.Null(FileStamp.Of(Path.Combine(_f.Library, "missing.jpg")));
    }

    private static bool Blueish(byte[] webp)
    {
        using var image = VipsImage.Thumbnail(webp, new ThumbnailOptions(8, 8) { ExportProfile = null });
        var pixels = image.ToPixels();
        return pixels[2] > pixels[0] + 100;
    }
}
