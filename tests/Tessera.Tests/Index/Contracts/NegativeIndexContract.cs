using Tessera.Core.Index;
using Tessera.Core.Pipeline;

namespace Tessera.Tests.Index.Contracts;

public abstract class NegativeIndexContract<TFixture> : IndexContract<TFixture>
    where TFixture : IIndexFixture, new()
{
    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    private INegativeIndex Negatives => Index.Negatives;

    private static NegativeEntry Entry(string item, FailureReason reason, int attempts = 1) =>
        new(item, "file", reason, "detail " + item, attempts, At, At.AddMinutes(1), At.AddMinutes(5), 42, 43);

    [Fact]
    public async Task AnEntry_RoundTripsToTheMillisecond()
    {
        await Negatives.PutNegativeAsync(Entry("a", FailureReason.Timeout), default);
        Assert.Equal([Entry("a", FailureReason.Timeout)], await Negatives.LoadNegativesAsync(default));
    }

    [Fact]
    public async Task OneItemsEntry_IsReadByItem_OrNull()
    {
        await Negatives.PutNegativeAsync(Entry("a", FailureReason.Timeout), default);
        await Negatives.PutNegativeAsync(Entry("b", FailureReason.NotFound), default);

        Assert.Equal(Entry("b", FailureReason.NotFound), await Negatives.GetNegativeAsync("b", default));
        Assert.Null(await Negatives.GetNegativeAsync("c", default));
    }

    [Fact]
    public async Task PuttingAgain_ReplacesTheEntry_AndMovesItsCount()
    {
        await Negatives.PutNegativeAsync(Entry("a", FailureReason.Timeout), default);
        await Negatives.PutNegativeAsync(Entry("a", FailureReason.DecodeFailed, 2), default);
        Assert.Equal([Entry("a", FailureReason.DecodeFailed, 2)], await Negatives.LoadNegativesAsync(default));
        Assert.Equal(new Dictionary<string, long> { [FailureReasons.ToText(FailureReason.DecodeFailed)] = 1 },
            await Negatives.CountNegativesAsync(default));
    }

    [Fact]
    public async Task List_IsOrderedByItem_FilteredByReason_AndPaged()
    {
        foreach (var (item, reason) in new[] { ("d", FailureReason.Timeout), ("b", FailureReason.NotFound), ("a", FailureReason.Timeout), ("c", FailureReason.Timeout) })
        {
            await Negatives.PutNegativeAsync(Entry(item, reason), default);
        }

        Assert.Equal(["a", "b", "c", "d"], (await Negatives.ListNegativesAsync(null, 0, 10, default)).Select(e => e.Item));
        Assert.Equal(["c", "d"], (await Negatives.ListNegativesAsync(FailureReason.Timeout, 1, 2, default)).Select(e => e.Item));
    }

    [Fact]
    public async Task Clear_ByReason_ByItem_OrAll_ReturnsTheRowsRemoved_AndCountsFollow()
    {
        foreach (var (item, reason) in new[] { ("a", FailureReason.Timeout), ("b", FailureReason.NotFound), ("c", FailureReason.Timeout), ("d", FailureReason.Blocked) })
        {
            await Negatives.PutNegativeAsync(Entry(item, reason), default);
        }

        var timeout = FailureReasons.ToText(FailureReason.Timeout);
        var notFound = FailureReasons.ToText(FailureReason.NotFound);
        var blocked = FailureReasons.ToText(FailureReason.Blocked);
        Assert.Equal(new Dictionary<string, long> { [timeout] = 2, [notFound] = 1, [blocked] = 1 }, await Negatives.CountNegativesAsync(default));
        Assert.Equal(0, await Negatives.ClearNegativesAsync(FailureReason.NotFound, "a", default));
        Assert.Equal(1, await Negatives.ClearNegativesAsync(null, "a", default));
        Assert.Equal(1, await Negatives.ClearNegativesAsync(FailureReason.Timeout, null, default));
        Assert.Equal(new Dictionary<string, long> { [notFound] = 1, [blocked] = 1 }, await Negatives.CountNegativesAsync(default));
        Assert.Equal(2, await Negatives.ClearNegativesAsync(null, null, default));
        Assert.Empty(await Negatives.CountNegativesAsync(default));
        Assert.Empty(await Negatives.LoadNegativesAsync(default));
    }
}
