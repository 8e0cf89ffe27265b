using Tessera.Core.Index;

namespace Tessera.Tests.Index.Contracts;

public abstract class RenditionIndexContract<TFixture> : IndexContract<TFixture>
    where TFixture : IIndexFixture, new()
{
    private IRenditionIndex Renditions => Index.Renditions;

    [Fact]
    public async Task ARecordedRendition_HasItsLengthAndChecksum_AndAnUnknownKeyIsNull()
    {
        await Renditions.RecordRenditionAsync(new RenditionRecord(Key(1), "webp", 100, "h", "grid", 4, 3, 12.5) { Checksum = "sum" }, default);
        var check = await Renditions.GetRenditionCheckAsync(Key(1), default);
        Assert.Equal(100, check!.Bytes);
        Assert.Equal("sum", check.Checksum);
        Assert.Null(await Renditions.GetRenditionCheckAsync(Key(2), default));
    }

    [Fact]
    public async Task RecordingAgain_UpdatesLengthAndChecksum_AndKeepsWhatTheUpdateDoesNotName()
    {
        await Renditions.RecordRenditionAsync(new RenditionRecord(Key(1), "webp", 100, "h", "grid", 4, 3, 12.5) { Checksum = "a" }, default);
        await Renditions.RecordRenditionAsync(new RenditionRecord(Key(1), "webp", 120, null, null, 0, 0, null) { Checksum = "b" }, default);
        Assert.Equal(new RenditionCheck(Key(1), string.Empty, 120, "b"), await Renditions.GetRenditionCheckAsync(Key(1), default));
        var summary = await Index.Stats.SummarizeAsync(default);
        Assert.Equal(new PresetUsage(1, 120), summary.ByPreset["grid"]); // preset kept
        Assert.NotNull(summary.GenerationP50Ms); // time kept
        Assert.Single(await Index.Stats.SlowestSourcesAsync(10, default));
        Assert.Empty(await Renditions.RemoveRenditionsAsync(null, ["other"], default));
        Assert.Single(await Renditions.RemoveRenditionsAsync(null, ["h"], default)); // content hash kept
    }

    [Fact]
    public async Task GetRenditions_AnswersManyKeysAtOnce_WithSizeAndPreview_AndARecordWithoutPreviewKeepsIt()
    {
        var preview = new Core.Pipeline.Preview("3OcRJYB4d3h/iIeHeEh3eIhw+j3A", "#c8285a");
        await Renditions.RecordRenditionAsync(new RenditionRecord(Key(1), "webp", 10, "a", "grid", 320, 240, 1) { Preview = preview }, default);
        await Renditions.RecordRenditionAsync(new RenditionRecord(Key(2), "jpg", 20, "b", "grid", 100, 50, 1), default);
        await Renditions.RecordRenditionAsync(new RenditionRecord(Key(1), "webp", 10, null, null, 320, 240, null) { Checksum = "c" }, default);

        var keys = Enumerable.Range(1, 1200).Select(Key).ToList(); // more than one statement's worth
        var found = await Renditions.GetRenditionsAsync(keys, default);

        Assert.Equal(2, found.Count);
        Assert.Equal(new RenditionInfo(Key(1), "webp", 320, 240, preview), found[Key(1)]);
        Assert.Equal(new RenditionInfo(Key(2), "jpg", 100, 50, null), found[Key(2)]);
        Assert.Empty(await Renditions.GetRenditionsAsync([], default));
    }

    [Fact]
    public async Task RemoveRenditions_ByPreset_ByContent_OrAll_ReturnsExactlyWhatWasDeleted()
    {
        await Renditions.RecordRenditionAsync(new RenditionRecord(Key(1), "webp", 10, "a", "grid", 1, 1, 1), default);
        await Renditions.RecordRenditionAsync(new RenditionRecord(Key(2), "webp", 20, "a", "thumb", 1, 1, 1), default);
        await Renditions.RecordRenditionAsync(new RenditionRecord(Key(3), "jpg", 30, "b", "grid", 1, 1, 1), default);
        await Renditions.RecordRenditionAsync(new RenditionRecord(Key(4), "webp", 40, "c", "thumb", 1, 1, 1), default);

        var grid = await Renditions.RemoveRenditionsAsync("grid", ["a"], default);
        Assert.Equal([new StoredKey(Key(1), "webp", 10)], grid);
        var byContent = await Renditions.RemoveRenditionsAsync(null, ["a", "b"], default);
        Assert.Equal([Key(2), Key(3)], byContent.Select(k => k.Key).Order(StringComparer.Ordinal));
        var rest = await Renditions.RemoveRenditionsAsync(null, null, default);
        Assert.Equal([new StoredKey(Key(4), "webp", 40)], rest);
        Assert.Empty(await Renditions.ExistingKeysAsync([Key(1), Key(2), Key(3), Key(4)], default));
        Assert.Equal(0, await Index.Eviction.TotalBytesAsync(default));
    }

    [Fact]
    public async Task ExistingKeys_AreThoseWithARow()
    {
        await Renditions.RecordRenditionAsync(new RenditionRecord(Key(1), "webp", 10, "a", "grid", 1, 1, 1), default);
        await Renditions.RecordRenditionAsync(new RenditionRecord(Key(3), "webp", 10, "a", "grid", 1, 1, 1), default);
        var found = await Renditions.ExistingKeysAsync([Key(1), Key(2), Key(3)], default);
        Assert.Equal([Key(1), Key(3)], found.Order(StringComparer.Ordinal));
    }
}
