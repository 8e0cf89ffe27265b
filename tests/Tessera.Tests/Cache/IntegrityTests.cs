using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Presets;
using Tessera.Tests.Cli;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cache;

public sealed class IntegrityTests : IDisposable
{
    private static readonly Preset Grid = new("grid", 400, 400);
    private readonly CacheFixture _f = new();

    public void Dispose() => _f.Dispose();

    private async Task<(string Source, ThumbnailResult Result, string File)> OneAsync(string name = "a.jpg", byte red = 200)
    {
        var src = Images.WriteSolidJpeg(Path.Combine(_f.Library, name), 900, 600, red, 100, 50);
        var result = await _f.Cache.Service.GetAsync(src, Grid, OutputFormat.WebP, default);
        return (src, result, _f.Cache.Store.PathOf(result.Key, "webp"));
    }

    [Fact]
    public async Task ADamagedFile_OfTheRightLength_IsNeverServed_ButRegenerated()
    {
        var (src, first, file) = await OneAsync();
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^10] ^= 0xFF; // same length, different content
        await File.WriteAllBytesAsync(file, bytes);
        var cache = _f.Reopen(); // an empty memory cache: the next read comes from disk

        var again = await cache.Service.GetAsync(src, Grid, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Generated, again.Outcome);
        Assert.Equal(first.Bytes, again.Bytes);
        Assert.Equal(first.Bytes, await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task ATruncatedFile_IsAMiss()
    {
        var (src, first, file) = await OneAsync();
        await File.WriteAllBytesAsync(file, first.Bytes[..(first.Bytes.Length / 2)]);
        var cache = _f.Reopen();
        var again = await cache.Service.GetAsync(src, Grid, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Generated, again.Outcome);
        Assert.Equal(first.Bytes, again.Bytes);
    }

    [Fact]
    public async Task RowsRebuiltFromFiles_AreCheckedByDecoding_AndGetTheirChecksumOnFirstRead()
    {
        var (src, first, _) = await OneAsync();
        _f.Cache.Dispose();
        foreach (var db in Directory.GetFiles(_f.Data, "tessera.db*"))
        {
            File.Delete(db);
        }

        var cache = _f.Reopen();
        Assert.Equal(1, cache.RebuiltRenditions);
        Assert.Null((await cache.Index.Renditions.GetRenditionCheckAsync(first.Key, default))!.Checksum);

        var hit = await cache.Service.GetAsync(src, Grid, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Hit, hit.Outcome);
        Assert.Equal(ThumbnailService.Checksum(first.Bytes), (await cache.Index.Renditions.GetRenditionCheckAsync(first.Key, default))!.Checksum);
    }

    [Fact]
    public async Task ADamagedIndexFile_IsSetAside_AndRebuiltFromTheFiles()
    {
        await OneAsync("a.jpg", 10);
        await OneAsync("b.jpg", 250);
        _f.Cache.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var db in Directory.GetFiles(_f.Data, "tessera.db-*"))
        {
            File.Delete(db);
        }

        await File.WriteAllBytesAsync(Path.Combine(_f.Data, "tessera.db"), System.Text.Encoding.ASCII.GetBytes(new string('x', 8192)));

        var cache = _f.Reopen();
        Assert.Equal(2, cache.RebuiltRenditions);
        Assert.Single(Directory.GetFiles(_f.Data, "tessera.db.corrupt-*"));
        Assert.Equal(2, (await cache.StatsAsync(default)).Renditions);
    }

    [Fact]
    public async Task Verify_FindsDamagedAndMissingFiles_AndRepairDropsThem()
    {
        var (_, _, damaged) = await OneAsync("a.jpg", 10);
        var (_, _, missing) = await OneAsync("b.jpg", 250);
        await OneAsync("c.jpg", 120);
        var bytes = await File.ReadAllBytesAsync(damaged);
        bytes[^5] ^= 0x55;
        await File.WriteAllBytesAsync(damaged, bytes);
        File.Delete(missing);
        _f.Cache.Dispose();

        var check = await CliRunner.RunAsync("verify", "--data", _f.Data);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("checked 3 renditions: 2 problems", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("checksum mismatch", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("missing file", check.Stdout, StringComparison.Ordinal);

        var repair = await CliRunner.RunAsync("verify", "--data", _f.Data, "--repair");
        Assert.Equal(0, repair.ExitCode);
        Assert.False(File.Exists(damaged));

        var clean = await CliRunner.RunAsync("verify", "--data", _f.Data);
        Assert.Equal(0, clean.ExitCode);
        Assert.Contains("checked 1 renditions: 0 problems", clean.Stdout, StringComparison.Ordinal);
        _f.Reopen();
    }
}
