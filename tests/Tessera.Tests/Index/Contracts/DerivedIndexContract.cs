using Tessera.Core.Index;

namespace Tessera.Tests.Index.Contracts;

public abstract class DerivedIndexContract<TFixture> : IndexContract<TFixture>
    where TFixture : IIndexFixture, new()
{
    private IDerivedIndex Derived => Index.Derived;

    [Fact]
    public async Task ADerivedOriginal_RoundTripsWithItsValidators_AndAnUntriedStepIsNull()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var derived = new DerivedOriginal("https://x/a.jpg", "download", "orig-hash", "image/jpeg") { ETag = "\"e\"", LastModified = at, FreshUntil = at.AddHours(1) };
        await Derived.PutDerivedAsync(derived, default);
        Assert.Equal(derived, await Derived.GetDerivedAsync("https://x/a.jpg", "download", default));
        Assert.Null(await Derived.GetDerivedAsync("https://x/a.jpg", "frame", default));
    }

    [Fact]
    public async Task GetDerivedMany_AnswersManySourcesOfOneStepAtOnce()
    {
        await Derived.PutDerivedAsync(new DerivedOriginal("https://x/1.jpg", "remote", "o1", null), default);
        await Derived.PutDerivedAsync(new DerivedOriginal("https://x/2.jpg", "remote", null, "nothing"), default);
        await Derived.PutDerivedAsync(new DerivedOriginal("https://x/1.jpg", "frame", "f1", null), default);

        var found = await Derived.GetDerivedManyAsync(["https://x/1.jpg", "https://x/2.jpg", "https://x/3.jpg"], "remote", default);

        Assert.Equal(2, found.Count);
        Assert.Equal("o1", found["https://x/1.jpg"].Original);
        Assert.Null(found["https://x/2.jpg"].Original);
    }

    [Fact]
    public async Task NothingFound_IsRemembered_AndPuttingAgainReplaces()
    {
        await Derived.PutDerivedAsync(new DerivedOriginal("h", "embedded", null, "no art"), default);
        Assert.Equal(new DerivedOriginal("h", "embedded", null, "no art"), await Derived.GetDerivedAsync("h", "embedded", default));
        await Derived.PutDerivedAsync(new DerivedOriginal("h", "embedded", "o", null), default);
        Assert.Equal(new DerivedOriginal("h", "embedded", "o", null), await Derived.GetDerivedAsync("h", "embedded", default));
    }

    [Fact]
    public async Task Forget_RemovesEveryStepOfTheSources_AndReturnsTheOriginalsNamed()
    {
        await Derived.PutDerivedAsync(new DerivedOriginal("a", "embedded", "o1", null), default);
        await Derived.PutDerivedAsync(new DerivedOriginal("a", "frame", null, "none"), default);
        await Derived.PutDerivedAsync(new DerivedOriginal("b", "frame", "o2", null), default);
        await Derived.PutDerivedAsync(new DerivedOriginal("c", "frame", "o3", null), default);
        var originals = await Derived.ForgetDerivedAsync(["a", "b", "zz"], default);
        Assert.Equal(["o1", "o2"], originals.Order(StringComparer.Ordinal));
        Assert.Null(await Derived.GetDerivedAsync("a", "frame", default));
        Assert.NotNull(await Derived.GetDerivedAsync("c", "frame", default));
    }
}
