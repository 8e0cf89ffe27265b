using System.Runtime.ExceptionServices;
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

    [Fact]
    public async Task StoppingAKeeper_CancelsItsWork_WithoutAnExceptionOfItsOwn()
    {
        // Its timer's wait ends by disposal: a cancelled PeriodicTimer wait throws an exception whose stack trace the
        // native binary renders at once (1% of a warm's CPU in a profile, at every job's and unit's end).
        var keeper = new LeaseKeeper(TimeSpan.FromMinutes(1), TimeProvider.System, _ => Task.FromResult(true), CancellationToken.None);
        var token = keeper.Token;
        var thrown = 0;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is OperationCanceledException cancelled && cancelled.CancellationToken == token)
            {
                Interlocked.Increment(ref thrown);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            keeper.Stop();
            await keeper.DisposeAsync();
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.True(token.IsCancellationRequested);
        Assert.Equal(0, Volatile.Read(ref thrown));
    }
}
