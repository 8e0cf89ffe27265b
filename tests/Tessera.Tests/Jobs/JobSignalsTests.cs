using Tessera.Core.Jobs;

namespace Tessera.Tests.Jobs;

/// <summary>A pause or cancel (<see cref="JobSignals.Stop"/>) racing the end of the work it stops.</summary>
public sealed class JobSignalsTests
{
    [Fact]
    public async Task AStop_ThatReachesWorkAlreadyEnded_DoesNothing()
    {
        // The interleaving seen once in CI: Stop took its snapshot of the job's running work, the work then ended (its
        // lease keeper disposed), and Stop called the ended keeper's stop. The pause answered 503.
        var signals = new JobSignals();
        var keeper = new LeaseKeeper(TimeSpan.FromMinutes(1), TimeProvider.System, _ => Task.FromResult(true), CancellationToken.None);
        using var tracked = signals.Track(7, keeper.Stop);
        await keeper.DisposeAsync();

        signals.Stop(7);
    }

    [Fact]
    public async Task AStop_CancelsTheRunningWorkOfThatJobOnly()
    {
        var signals = new JobSignals();
        await using var seven = new LeaseKeeper(TimeSpan.FromMinutes(1), TimeProvider.System, _ => Task.FromResult(true), CancellationToken.None);
        await using var eight = new LeaseKeeper(TimeSpan.FromMinutes(1), TimeProvider.System, _ => Task.FromResult(true), CancellationToken.None);
        using var a = signals.Track(7, seven.Stop);
        using var b = signals.Track(8, eight.Stop);

        signals.Stop(7);

        Assert.True(seven.Token.IsCancellationRequested);
        Assert.False(eight.Token.IsCancellationRequested);
    }
}
