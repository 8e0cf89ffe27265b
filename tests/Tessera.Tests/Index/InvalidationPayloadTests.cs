using System.Text;
using Tessera.Core.Index;
using Tessera.Core.Pipeline;
using Tessera.Index.Postgres;

namespace Tessera.Tests.Index;

/// <summary>NOTIFY payloads stay under PostgreSQL's 8000-byte limit: a long key list is split, an enormous one becomes "drop everything".</summary>
public sealed class InvalidationPayloadTests
{
    private static string Key(int i) => $"{i:x64}.webp";

    [Fact]
    public void ALongPurge_IsSplitIntoPayloadsUnderTheLimit_ThatReadBackEveryKey()
    {
        var keys = Enumerable.Range(0, 3000).Select(Key).ToList();

        var payloads = InvalidationPayload.Write("me", new InvalidationEvent(InvalidationKind.Renditions, keys));

        Assert.True(payloads.Count > 1);
        Assert.All(payloads, p => Assert.True(Encoding.UTF8.GetByteCount(p) < 8000));
        var read = payloads.Select(p => InvalidationPayload.Read(p)!.Value).ToList();
        Assert.All(read, r => Assert.Equal(("me", InvalidationKind.Renditions), (r.Sender, r.Event.Kind)));
        Assert.Equal(keys, read.SelectMany(r => r.Event.Keys!));
    }

    [Fact]
    public void APurgeTooLongForSixtyFourPayloads_BecomesDropEverything()
    {
        var payloads = InvalidationPayload.Write("me", new InvalidationEvent(InvalidationKind.Renditions, [.. Enumerable.Range(0, 20_000).Select(Key)]));

        Assert.Equal(InvalidationKind.Everything, InvalidationPayload.Read(Assert.Single(payloads))!.Value.Event.Kind);
    }

    [Fact]
    public void ANegativeClear_KeepsItsReason_AndAGarbledPayloadReadsAsNothing()
    {
        var payload = Assert.Single(InvalidationPayload.Write("me", new InvalidationEvent(InvalidationKind.Negatives, Reason: FailureReason.Timeout)));

        var read = InvalidationPayload.Read(payload)!.Value.Event;
        Assert.Equal((InvalidationKind.Negatives, FailureReason.Timeout, (IReadOnlyList<string>?)null), (read.Kind, read.Reason, read.Keys));
        Assert.Null(InvalidationPayload.Read("{not json"));
    }
}
