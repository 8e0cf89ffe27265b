using Tessera.Core.Index;
using Tessera.Core.Storage;

namespace Tessera.Tests.Index.Contracts;

public abstract class IndexMaintenanceContract<TFixture> : IndexContract<TFixture>
    where TFixture : IIndexFixture, new()
{
    private IIndexMaintenance Maintenance => Index.Maintenance;

    [Fact]
    public void AFreshIndex_SaysItWasCreatedNew() => Assert.True(Maintenance.CreatedNew);

    [Fact]
    public async Task AFreshIndex_PassesItsIntegrityCheck() => Assert.Equal("ok", await Maintenance.IntegrityCheckAsync(default));

    [Fact]
    public async Task Rebuild_ReplacesTheRows_KeepingWhatKnownRowsKnew()
    {
        await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(1), "webp", 10, "h1", "grid", 4, 3, 25) { Checksum = "c1" }, default);
        await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(2), "webp", 10, "h2", "grid", 4, 3, 25), default);
        var written = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000);
        var rows = await Maintenance.RebuildRenditionsAsync(
            [new StoredRendition(Key(1), "webp", 11, written), new StoredRendition(Key(3), OriginalStore.Extension, 12, written)], default);

        Assert.Equal(2, rows);
        Assert.Equal([(Key(1), "webp"), (Key(3), OriginalStore.Extension)], (await Maintenance.RenditionKeysAsync(default)).Order());
        Assert.Equal(new RenditionCheck(Key(1), string.Empty, 11, "c1"), await Index.Renditions.GetRenditionCheckAsync(Key(1), default));
        Assert.Null((await Index.Renditions.GetRenditionCheckAsync(Key(3), default))!.Checksum);
        Assert.Equal(written.ToUnixTimeSeconds(), (await Index.Eviction.OldestAsync(1, default))[0].LastAccess);
        Assert.Single(await Index.Renditions.RemoveRenditionsAsync("grid", ["h1"], default)); // preset and hash kept
        Assert.Single(await Index.Renditions.RemoveRenditionsAsync(null, [Key(3)], default)); // an original's hash is its key
    }

    [Fact]
    public async Task RenditionChecks_StreamEveryRowInKeyOrder()
    {
        foreach (var i in new[] { 3, 1, 2 })
        {
            await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(i), "webp", i, "h", "grid", 1, 1, 1) { Checksum = i == 2 ? null : "c" + i }, default);
        }

        var checks = new List<RenditionCheck>();
        await foreach (var check in Maintenance.RenditionChecksAsync(default))
        {
            checks.Add(check);
        }

        Assert.Equal([new RenditionCheck(Key(1), "webp", 1, "c1"), new RenditionCheck(Key(2), "webp", 2, null), new RenditionCheck(Key(3), "webp", 3, "c3")], checks);
    }

    [Fact]
    public async Task DeleteRenditionRow_RemovesThatRowOnly()
    {
        await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(1), "webp", 1, "h", "grid", 1, 1, 1), default);
        await Index.Renditions.RecordRenditionAsync(new RenditionRecord(Key(2), "webp", 1, "h", "grid", 1, 1, 1), default);
        await Maintenance.DeleteRenditionRowAsync(Key(1), default);
        Assert.Equal([(Key(2), "webp")], await Maintenance.RenditionKeysAsync(default));
    }
}
