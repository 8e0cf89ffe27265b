using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Presets;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cache;

/// <summary>A warm (EnsureAsync) skips a rendition only when it is surely stored: its index row and its object. An
/// object with no row is what a writer killed between the two leaves, and on an S3-compatible server possibly a
/// cut-off body (seen with s3rver when a replica was killed mid-upload: the warm skipped it, every read then missed).</summary>
public sealed class EnsureTrustsOnlyWholeRenditionsTests : IDisposable
{
    private static readonly Preset Grid = new("grid", 400, 400);
    private readonly CacheFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task ACutOffObjectWithoutItsRow_IsRenderedAgain_NotSkipped()
    {
        var (path, file, whole) = await StoredWithoutRowAsync("cut.jpg");
        await File.WriteAllBytesAsync(file, whole[..(whole.Length / 3)]);

        var again = await _f.Cache.Service.EnsureAsync(path, Grid, OutputFormat.WebP, WorkPriority.Background, default);

        Assert.Equal(ThumbnailOutcome.Generated, again?.Outcome);
        Assert.Equal(whole, await File.ReadAllBytesAsync(file));
        Assert.NotNull(await _f.Cache.Get<IRenditionIndex>().GetRenditionCheckAsync(again!.Key, default));
    }

    [Fact]
    public async Task AWholeObjectWithoutItsRow_IsSkipped_AndItsRowRecorded()
    {
        var (path, file, whole) = await StoredWithoutRowAsync("whole.jpg");

        var again = await _f.Cache.Service.EnsureAsync(path, Grid, OutputFormat.WebP, WorkPriority.Background, default);

        Assert.Null(again); // skipped: nothing rendered
        Assert.Equal(whole, await File.ReadAllBytesAsync(file));
        var key = Path.GetFileNameWithoutExtension(file);
        Assert.Equal(whole.Length, (await _f.Cache.Get<IRenditionIndex>().GetRenditionCheckAsync(key, default))?.Bytes);
    }

    /// <summary>A rendition made and stored, then its row deleted and the process restarted (nothing of it in memory).</summary>
    private async Task<(string Path, string File, byte[] Whole)> StoredWithoutRowAsync(string name)
    {
        var path = Images.WriteSolidJpeg(Path.Combine(_f.Library, name), 900, 600, 40, 90, 160);
        var made = await _f.Cache.Service.EnsureAsync(path, Grid, OutputFormat.WebP, WorkPriority.Background, default);
        Assert.Equal(ThumbnailOutcome.Generated, made?.Outcome);
        var file = Assert.Single(_f.RenditionFiles(), f => Path.GetFileNameWithoutExtension(f) == made!.Key);
        var whole = await File.ReadAllBytesAsync(file);
        Assert.Single(await _f.Cache.Get<IRenditionIndex>().RemoveRenditionsAsync(null, null, default));
        _f.Reopen();
        return (path, file, whole);
    }
}
