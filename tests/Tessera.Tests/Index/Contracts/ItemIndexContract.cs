using Tessera.Core.Index;

namespace Tessera.Tests.Index.Contracts;

public abstract class ItemIndexContract<TFixture> : IndexContract<TFixture>
    where TFixture : IIndexFixture, new()
{
    private static readonly DateTimeOffset At = new(2025, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private IItemIndex Items => Index.Items;

    [Fact]
    public async Task Aliases_PointAtTheItem_AndAnAliasOfAnAliasFollowsIt()
    {
        var a = new ItemRef("ka", "A");
        var b = new ItemRef("kb", "B");
        var c = new ItemRef("kc", "C");
        await Items.PutAliasesAsync("lib", b, [a, b], default); // an item is never its own alias
        Assert.Equal(b, await Items.GetAliasAsync("lib", "ka", default));
        Assert.Null(await Items.GetAliasAsync("lib", "kb", default));
        Assert.Null(await Items.GetAliasAsync("other", "ka", default));

        await Items.PutAliasesAsync("lib", c, [b], default);
        Assert.Equal(c, await Items.GetAliasAsync("lib", "ka", default));
        Assert.Equal(c, await Items.GetAliasAsync("lib", "kb", default));
        Assert.Equal([a, b], await Items.ListAliasesAsync("lib", "kc", default));
        Assert.Empty(await Items.ListAliasesAsync("lib", "kb", default));
    }

    [Fact]
    public async Task AliasesAndRegistrations_OfManyItems_AreReadAtOnce()
    {
        var a = new ItemRef("ka", "A");
        var b = new ItemRef("kb", "B");
        await Items.PutAliasesAsync("lib", b, [a], default);
        var poster = new ItemRegistration("lib", b, "poster", ["https://a/1.jpg"], null, At);
        await Items.PutRegistrationAsync(poster, default);
        await Items.PutRegistrationAsync(new ItemRegistration("lib", b, "cover", ["https://a/2.jpg"], null, At), default);

        var keys = Enumerable.Range(0, 600).Select(i => $"k{i}").Append("ka").Append("kb").ToList();
        var aliases = await Items.GetAliasesAsync("lib", keys, default);
        var registrations = await Items.GetRegistrationsAsync("lib", keys, "poster", default);

        Assert.Equal(b, Assert.Single(aliases, x => x.Key == "ka").Value);
        Assert.Single(aliases);
        Assert.Equal(poster.Sources, Assert.Single(registrations).Value.Sources);
        Assert.Equal("poster", registrations["kb"].Role);
        Assert.Empty(await Items.GetAliasesAsync("other", keys, default));
    }

    [Fact]
    public async Task Registrations_RoundTripPerRole_InRoleOrder()
    {
        var item = new ItemRef("k", "Id ü \"quoted\"");
        var poster = new ItemRegistration("lib", item, "poster", ["https://a/1.jpg", "https://b/2.jpg?x=\"y\""], "films/x.mkv", At);
        var backdrop = new ItemRegistration("lib", item, "backdrop", [], "films/x.mkv", At);
        await Items.PutRegistrationAsync(poster, default);
        await Items.PutRegistrationAsync(backdrop, default);
        var got = await Items.GetRegistrationAsync("lib", "k", "poster", default);
        Assert.Equal(poster.Sources, got!.Sources);
        Assert.Equal(poster with { Sources = got.Sources }, got);
        Assert.Equal(["backdrop", "poster"], (await Items.ListRegistrationsAsync("lib", "k", default)).Select(r => r.Role));
        Assert.Null(await Items.GetRegistrationAsync("lib", "k", "logo", default));
    }

    [Fact]
    public async Task ARegistrationWithNoSourcesAndNoPath_RemovesTheRole()
    {
        var item = new ItemRef("k", "id");
        await Items.PutRegistrationAsync(new ItemRegistration("lib", item, "poster", ["https://a/1.jpg"], null, At), default);
        await Items.PutRegistrationAsync(new ItemRegistration("lib", item, "poster", ["https://a/2.jpg"], null, At.AddDays(1)), default);
        Assert.Equal(["https://a/2.jpg"], (await Items.GetRegistrationAsync("lib", "k", "poster", default))!.Sources);
        await Items.PutRegistrationAsync(new ItemRegistration("lib", item, "poster", [], null, At), default);
        Assert.Empty(await Items.ListRegistrationsAsync("lib", "k", default));
    }
}
