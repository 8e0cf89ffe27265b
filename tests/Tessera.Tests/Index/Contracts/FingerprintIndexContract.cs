using Tessera.Core.Index;

namespace Tessera.Tests.Index.Contracts;

public abstract class FingerprintIndexContract<TFixture> : IndexContract<TFixture>
    where TFixture : IIndexFixture, new()
{
    private IFingerprintIndex Fingerprints => Index.Fingerprints;

    [Fact]
    public async Task AFingerprint_RoundTrips_AndAnUnknownPathIsNull()
    {
        var fp = new Fingerprint("/lib/a.jpg", 123, 456, "hash-a");
        await Fingerprints.PutFingerprintAsync(fp, default);
        Assert.Equal(fp, await Fingerprints.GetFingerprintAsync("/lib/a.jpg", default));
        Assert.Null(await Fingerprints.GetFingerprintAsync("/lib/b.jpg", default));
    }

    [Fact]
    public async Task GetFingerprints_AnswersManyPathsAtOnce()
    {
        var a = new Fingerprint("/lib/a.jpg", 1, 2, "hash-a", 3, 4);
        var b = new Fingerprint("/lib/b b.jpg", 5, 6, "hash-b");
        await Fingerprints.PutFingerprintAsync(a, default);
        await Fingerprints.PutFingerprintAsync(b, default);

        var found = await Fingerprints.GetFingerprintsAsync([.. Enumerable.Range(0, 700).Select(i => $"/lib/{i}.jpg"), "/lib/a.jpg", "/lib/b b.jpg"], default);

        Assert.Equal(2, found.Count);
        Assert.Equal(a, found["/lib/a.jpg"]);
        Assert.Equal(b, found["/lib/b b.jpg"]);
    }

    [Fact]
    public async Task ChangeTimeAndInode_RoundTrip_AndPuttingAgainReplacesThem()
    {
        var fp = new Fingerprint("/lib/a.jpg", 123, 456, "hash-a", 1_700_000_000_123_456_789, 424242);
        await Fingerprints.PutFingerprintAsync(fp, default);
        Assert.Equal(fp, await Fingerprints.GetFingerprintAsync("/lib/a.jpg", default));

        var rewritten = fp with { ContentHash = "hash-b", CtimeNanoseconds = fp.CtimeNanoseconds + 1, Inode = 7 };
        await Fingerprints.PutFingerprintAsync(rewritten, default);
        Assert.Equal(rewritten, await Fingerprints.GetFingerprintAsync("/lib/a.jpg", default));

        var unknown = rewritten with { CtimeNanoseconds = null, Inode = null };
        await Fingerprints.PutFingerprintAsync(unknown, default);
        Assert.Equal(unknown, await Fingerprints.GetFingerprintAsync("/lib/a.jpg", default));
    }

    [Fact]
    public async Task PuttingAgain_ReplacesThePathsFingerprint()
    {
        await Fingerprints.PutFingerprintAsync(new Fingerprint("/lib/a.jpg", 1, 1, "old"), default);
        await Fingerprints.PutFingerprintAsync(new Fingerprint("/lib/a.jpg", 2, 3, "new"), default);
        Assert.Equal(new Fingerprint("/lib/a.jpg", 2, 3, "new"), await Fingerprints.GetFingerprintAsync("/lib/a.jpg", default));
        Assert.Equal(1, (await Index.Stats.SummarizeAsync(default)).Items);
    }

    [Fact]
    public async Task Forgetting_RemovesOnlyThatPath()
    {
        await Fingerprints.PutFingerprintAsync(new Fingerprint("/lib/a.jpg", 1, 1, "a"), default);
        await Fingerprints.PutFingerprintAsync(new Fingerprint("/lib/b.jpg", 1, 1, "b"), default);
        await Fingerprints.ForgetFingerprintAsync("/lib/a.jpg", default);
        await Fingerprints.ForgetFingerprintAsync("/lib/never.jpg", default);
        Assert.Null(await Fingerprints.GetFingerprintAsync("/lib/a.jpg", default));
        Assert.NotNull(await Fingerprints.GetFingerprintAsync("/lib/b.jpg", default));
        Assert.Equal(1, (await Index.Stats.SummarizeAsync(default)).Items);
    }

    [Fact]
    public async Task ContentHashesUnder_AFolder_AreDistinct_AndExcludeSiblingFoldersWithTheSamePrefix()
    {
        await Fingerprints.PutFingerprintAsync(new Fingerprint("/lib/x/1.jpg", 1, 1, "h1"), default);
        await Fingerprints.PutFingerprintAsync(new Fingerprint("/lib/x/sub/2.jpg", 1, 1, "h2"), default);
        await Fingerprints.PutFingerprintAsync(new Fingerprint("/lib/x/3.jpg", 1, 1, "h1"), default);
        await Fingerprints.PutFingerprintAsync(new Fingerprint("/lib/xy/4.jpg", 1, 1, "h4"), default);
        var hashes = await Fingerprints.ContentHashesUnderAsync("/lib/x/", default);
        Assert.Equal(["h1", "h2"], hashes.Order(StringComparer.Ordinal));
    }
}
