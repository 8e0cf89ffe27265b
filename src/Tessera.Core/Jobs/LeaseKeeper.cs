namespace Tessera.Core.Jobs;

/// <summary>Keeps one lease alive on its own timer, every third of the lease time, whatever the work is doing (a
/// long decode never starves a renewal). When a renewal says the lease is gone, or the check says so (watchdog),
/// <see cref="Token"/> is cancelled and the work stops.</summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly CancellationTokenSource _lost;
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;

    /// <param name="tick">Renews (and checks); false when the lease is no longer ours.</param>
    public LeaseKeeper(TimeSpan leaseTime, TimeProvider clock, Func<CancellationToken, Task<bool>> tick, CancellationToken stopping)
    {
        _lost = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _timer = new PeriodicTimer(leaseTime / 3, clock);
        _loop = RunAsync(tick);
    }

    /// <summary>Cancelled when the lease is lost, the work must stop, or the process stops.</summary>
    public CancellationToken Token => _lost.Token;

    /// <summary>Stops the work now (a local pause or cancel). A pause racing the work's own end may arrive after the
    /// keeper is disposed: the work has stopped already, so there is nothing left to do (it once answered a pause 503).</summary>
    public void Stop()
    {
        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Ended already.
        }

        _timer.Dispose();
    }

    private async Task RunAsync(Func<CancellationToken, Task<bool>> tick)
    {
        try
        {
            // The wait takes no token: it ends when the timer is disposed (Stop, DisposeAsync). A PeriodicTimer whose wait
            // is cancelled throws an exception whose stack trace NativeAOT renders at once (the first one builds the
            // whole method-name map): 1% of a warm's CPU, on the job's last step, in a profile.
            while (await _timer.WaitForNextTickAsync().ConfigureAwait(false))
            {
                if (_lost.IsCancellationRequested)
                {
                    return; // stopped, lost, or the process is stopping: nothing to renew
                }

                bool ours;
                try
                {
                    ours = await tick(_lost.Token).ConfigureAwait(false);
                }
                catch (Index.IndexException)
                {
                    ours = true; // the index is having a bad moment: try again at the next tick, the lease has two more
                }

                if (!ours)
                {
                    await _lost.CancelAsync().ConfigureAwait(false);
                    _timer.Dispose();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped or lost.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _timer.Dispose();
        await _lost.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _lost.Dispose();
    }
}
