using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Cache;
using Tessera.Core.Index;

namespace Tessera.Tests.Cache;

/// <summary>The miss path's lease logic against a scripted lease table: wait while another replica holds the key, then
/// serve its result; render when there is none; never wait past Replicas:MaxWait; renew while rendering; always release.</summary>
public sealed class RenditionLeasingTests
{
    private static RenditionLeasing Leasing(IRenditionLeases leases, TimeSpan leaseTime, TimeSpan maxWait) =>
        new(leases, new RenditionLeaseOptions { LeaseTime = leaseTime, MaxWait = maxWait }, TimeProvider.System, NullLogger<RenditionLeasing>.Instance);

    [Fact]
    public async Task AKeyAnotherReplicaHolds_IsWaitedFor_AndItsResultServed_NotRenderedAgain()
    {
        var leases = new ScriptedLeases(heldFor: 3);
        var rendered = 0;

        var result = await Leasing(leases, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1)).RunAsync("k",
            () => Task.FromResult<string?>("theirs"), () => Task.FromResult($"ours {++rendered}"));

        Assert.Equal(("theirs", 0), (result, rendered));
        Assert.Equal(4, leases.Asked);
        Assert.Equal(1, leases.Released); // the lease it got to look is given back
    }

    [Fact]
    public async Task AFreeKeyWithNoResult_IsRenderedUnderTheLease_RenewedMeanwhile_ThenReleased()
    {
        var leases = new ScriptedLeases(heldFor: 0);
        var result = await Leasing(leases, TimeSpan.FromSeconds(1.5), TimeSpan.FromMinutes(1)).RunAsync("k",
            () => Task.FromResult<string?>(null), async () =>
            {
                await Task.Delay(1200); // over two renewal periods (a third of 1.5 s)
                return "ours";
            });

        Assert.Equal("ours", result);
        Assert.True(leases.Renewed >= 1, "a render longer than a third of the lease renews it");
        Assert.Equal(1, leases.Released);
    }

    [Fact]
    public async Task AKeyHeldPastMaxWait_IsRenderedHereAnyway()
    {
        var leases = new ScriptedLeases(heldFor: int.MaxValue);

        var result = await Leasing(leases, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300)).RunAsync("k",
            () => Task.FromResult<string?>("never asked: the lease was never granted"), () => Task.FromResult("ours"));

        Assert.Equal("ours", result);
        Assert.True(leases.Asked >= 2);
        Assert.Equal(0, leases.Released);
    }

    [Fact]
    public async Task AFailedRender_StillReleasesTheLease()
    {
        var leases = new ScriptedLeases(heldFor: 0);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Leasing(leases, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1))
            .RunAsync<string>("k", () => Task.FromResult<string?>(null), () => throw new InvalidOperationException("boom")));

        Assert.Equal(1, leases.Released);
    }

    /// <summary>A lease another replica holds for the first <c>heldFor</c> asks, then free.</summary>
    private sealed class ScriptedLeases(int heldFor) : IRenditionLeases
    {
        private int _asked;
        private int _renewed;
        private int _released;

        public int Asked => _asked;

        public int Renewed => _renewed;

        public int Released => _released;

        public Task<bool> TryAcquireAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
            Task.FromResult(Interlocked.Increment(ref _asked) > heldFor);

        public Task<bool> RenewAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _renewed);
            return Task.FromResult(true);
        }

        public Task ReleaseAsync(string key, string owner, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _released);
            return Task.CompletedTask;
        }
    }
}
