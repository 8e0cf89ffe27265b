using Tessera.Core.Catalog;
using Tessera.Tests.Support;

namespace Tessera.Tests.Catalog;

/// <summary>The sync against a scripted upstream (faults Stash cannot show) and a real SQLite catalog index.</summary>
public sealed class CatalogSyncTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();
    private readonly ScriptedUpstream _upstream = new();
    private readonly CatalogHarness _catalog;

    public CatalogSyncTests()
    {
        _catalog = CatalogHarness.Open(_dir.Sub("data"), _upstream);
        for (var i = 1; i <= 25; i++)
        {
            _upstream.Put(ScriptedUpstream.Entity(CatalogTypes.Tags, i, T0.AddSeconds(i)));
        }
    }

    // Full and incremental sync, watermarks, ties, soft delete, smart sync and the other guards run against the Stash
    // stand-in (CatalogStandInSyncTests). This one cannot: Stash never lists nothing while its count says otherwise, and
    // the stand-in answers as Stash does, so the scripted upstream plays the broken upstream.
    [Fact]
    public async Task TheEmptyListingGuard_NeverDeletes_AndSaysWhy()
    {
        await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Full);
        _upstream.Remove(CatalogTypes.Tags, 25); // a real deletion the sweep would find, were the listing trusted
        _upstream.EmptyListing = CatalogTypes.Tags;
        _upstream.CountSkew = (CatalogTypes.Tags, -24); // and counts that agree with the empty listing

        var result = await _catalog.SyncAsync(CatalogTypes.Tags, CatalogSyncMode.Full);

        Assert.Equal(0, result.Deleted);
        Assert.Equal(25, await _catalog.LiveAsync(CatalogTypes.Tags));
        Assert.Contains("sweep skipped: empty listing", result.Text, StringComparison.Ordinal);
        Assert.Contains("sweep skipped: empty listing", (await _catalog.WatermarkAsync(CatalogTypes.Tags)).LastResult, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _catalog.Dispose();
        _dir.Dispose();
    }
}
