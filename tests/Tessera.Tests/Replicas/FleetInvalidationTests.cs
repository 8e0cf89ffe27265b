using System.Diagnostics;
using System.Net;
using Tessera.Tests.Http;
using Tessera.Tests.Http.Jobs;
using Tessera.Tests.Support;

namespace Tessera.Tests.Replicas;

/// <summary>Two real <c>tessera serve</c> processes on PostgreSQL and s3rver: a purge through one reaches the other's
/// memory and local copy (LISTEN/NOTIFY), so the other stops serving the purged thumbnail and makes it again.</summary>
[Collection(Serial.Name)]
public sealed class FleetInvalidationTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60); // the bound is milliseconds; the machine may be loaded
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AThumbnailInReplicaBsMemory_PurgedThroughReplicaA_IsMadeAgainByB()
    {
        var library = _dir.Sub("lib");
        File.WriteAllBytes(Path.Combine(library, "a.png"), NoiseImages.Png(600, 400));
        await using var fleet = await ReplicaFleet.StartAsync(_dir.Sub("fleet"), library, 2);
        const string url = "/t/lib/grid/a.png";

        Assert.Equal("miss", await OutcomeAsync(fleet, 1, url));
        Assert.Equal("hit", await OutcomeAsync(fleet, 1, url)); // now in B's memory and on its local disk
        Assert.Equal((0, 1), (await fleet.GeneratedAsync(0), await fleet.GeneratedAsync(1)));

        using (var purge = await fleet[0].Client.DeleteAsync(new Uri("/api/files/lib/a.png", UriKind.Relative)))
        {
            Assert.True(purge.StatusCode == HttpStatusCode.OK, fleet.Output);
        }

        // Until B hears the purge it answers from memory (a hit); once it has, the rendition is gone everywhere.
        var waited = Stopwatch.StartNew();
        while (await OutcomeAsync(fleet, 1, url) != "miss")
        {
            Assert.True(waited.Elapsed < Deadline, $"replica B still served the purged thumbnail after {Deadline.TotalSeconds} s\n{fleet.Output}");
            await Task.Delay(20);
        }

        Assert.Equal(2, await fleet.GeneratedAsync(1)); // B made it again; A never rendered it
        Assert.Equal(0, await fleet.GeneratedAsync(0));
    }

    private static async Task<string?> OutcomeAsync(ReplicaFleet fleet, int replica, string url)
    {
        using var response = await fleet[replica].Client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}\n{fleet.Output}");
        return HttpAssert.Header(response, "X-Tessera-Cache");
    }
}
