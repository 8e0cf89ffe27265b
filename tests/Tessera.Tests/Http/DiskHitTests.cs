using System.Net;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http;

/// <summary>Hits from disk through the real server (no memory cache): the file checked on its first read is then
/// streamed from disk, the same bytes with the same headers, and a damaged one is never sent.</summary>
public sealed class DiskHitTests
{
    [Fact]
    public async Task RepeatDiskHits_SendTheCheckedFile_SameBytesAndHeaders_AndHeadHasNoBody()
    {
        await using var host = await TesseraHost.StartAsync(
            root => Images.WriteSolidJpeg(Path.Combine(root, "lib", "d", "e", "a.jpg"), 900, 600, 40, 160, 90),
            o => o.HotCacheBytes = 1);
        using var made = await host.Client.GetAsync("/t/lib/grid/d/e/a.jpg");
        var bytes = await made.Content.ReadAsByteArrayAsync();
        Assert.Equal("miss", HttpAssert.Header(made, "X-Tessera-Cache"));

        await HttpAssert.HitsRepeatTheMissAsync(host.Client, "/t/lib/grid/d/e/a.jpg", made, bytes);

        // Damaged in place after it was checked: checked again, not sent; made again instead.
        var file = Directory.GetFiles(Path.Combine(host.Root, "data", "renditions"), "*.webp", SearchOption.AllDirectories).Single();
        var damaged = (byte[])bytes.Clone();
        damaged[^10] ^= 0xFF;
        await File.WriteAllBytesAsync(file, damaged);
        using var after = await host.Client.GetAsync("/t/lib/grid/d/e/a.jpg");
        Assert.Equal("miss", HttpAssert.Header(after, "X-Tessera-Cache"));
        Assert.Equal(bytes, await after.Content.ReadAsByteArrayAsync());
    }
}
