using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cache;

/// <summary>What a file's fingerprint costs in memory: a user's request keeps it (its next hit is one stat), background
/// work (a warm, a job: each file once) leaves it in the index only, so a large warm's memory does not grow per file.</summary>
public sealed class FingerprintMemoryTests : IDisposable
{
    private static readonly Preset Grid = new("grid", 400, 400);
    private readonly CacheFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task AWarmsFiles_AreNotKeptInMemory_AUsersAre()
    {
        var fingerprints = _f.Cache.Get<Fingerprinter>();
        for (var i = 0; i < 5; i++)
        {
            var path = Images.WriteSolidJpeg(Path.Combine(_f.Library, $"w{i}.jpg"), 300, 200, (byte)(i * 40), 90, 160);
            Assert.Equal(ThumbnailOutcome.Generated, (await _f.Cache.Service.EnsureAsync(path, Grid, OutputFormat.WebP, WorkPriority.Background, default))?.Outcome);
        }

        Assert.Equal(0, fingerprints.Remembered);

        // The user's view of a warmed file is a hit (its fingerprint read from the index once), then remembered.
        var viewed = await _f.Cache.Service.GetAsync(Path.Combine(_f.Library, "w3.jpg"), Grid, OutputFormat.WebP, default);
        Assert.Equal(ThumbnailOutcome.Hit, viewed.Outcome);
        Assert.Equal(1, fingerprints.Remembered);
    }
}
