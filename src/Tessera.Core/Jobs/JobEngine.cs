using Microsoft.Extensions.Logging;
using Tessera.Core.Index;

namespace Tessera.Core.Jobs;

/// <summary>Runs jobs in this process: one coordinator loop (discovery, clean-up, maximum runtimes) and
/// <see cref="JobOptions.Concurrency"/> worker loops claiming units. Nothing but cancellation stops it: an index
/// failure is reported, waited out with backoff and retried. At shutdown every lease held is given back.</summary>
public sealed class JobEngine(IJobIndex index, JobCoordinator coordinator, UnitWorker worker, JobSignals signals, JobOptions options,
    TimeProvider clock, ILogger<JobEngine> logger)
{
    private static readonly TimeSpan IdleMin = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan IdleMax = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxRuntimeCheck = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LogEvery = TimeSpan.FromMinutes(5);
    private DateTimeOffset _lastLogged = DateTimeOffset.MinValue;

    /// <summary>Who holds leases from this process: host, process id and a random part (two engines in one process differ).</summary>
    public string Owner { get; } = LeaseOwner.New();

    /// <summary>Units this engine completed (for tests and the CLI's resume report).</summary>
    public long UnitsCompleted => Interlocked.Read(ref _unitsCompleted);

    private long _unitsCompleted;

    /// <summary>Runs until cancelled. <paramref name="failed"/> and <paramref name="recovered"/> tell a host's health
    /// check that the index keeps failing and when it works again.</summary>
    public async Task RunAsync(CancellationToken stopping, Action<Exception>? failed = null, Action? recovered = null)
    {
        var loops = new List<Task> { GuardedAsync(CoordinateOnceAsync, failed, recovered, stopping) };
        for (var i = 0; i < options.Concurrency; i++)
        {
            loops.Add(GuardedAsync(WorkOnceAsync, failed, recovered, stopping));
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    /// <summary>One coordinator round: true when it did something (so it goes again at once).</summary>
    private async Task<bool> CoordinateOnceAsync(CancellationToken stopping)
    {
        var now = clock.GetUtcNow();
        if (now - _lastMaxRuntimeCheck >= MaxRuntimeCheck)
        {
            _lastMaxRuntimeCheck = now;
            await coordinator.EnforceMaxRuntimeAsync(stopping).ConfigureAwait(false);
        }

        if (await index.ClaimJobAsync(Owner, now, options.LeaseTime, stopping).ConfigureAwait(false) is not { } lease)
        {
            return false;
        }

        await coordinator.RunAsync(lease, stopping).ConfigureAwait(false);
        return true;
    }

    private DateTimeOffset _lastMaxRuntimeCheck = DateTimeOffset.MinValue;

    private async Task<bool> WorkOnceAsync(CancellationToken stopping)
    {
        if (await index.ClaimUnitAsync(Owner, clock.GetUtcNow(), options.LeaseTime, options.Concurrency, stopping).ConfigureAwait(false) is not { } unit)
        {
            return false;
        }

        if (await worker.RunAsync(unit, Owner, stopping).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _unitsCompleted);
            signals.Wake(); // the coordinator may move the job on to clean-up
        }

        return true;
    }

    private async Task GuardedAsync(Func<CancellationToken, Task<bool>> round, Action<Exception>? failed, Action? recovered, CancellationToken stopping)
    {
        var idle = IdleMin;
        var failing = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var wake = signals.Next;
                var busy = await round(stopping).ConfigureAwait(false);
                if (failing)
                {
                    failing = false;
                    recovered?.Invoke();
                }

                if (busy)
                {
                    idle = IdleMin;
                    continue;
                }

                await JobSignals.WaitAsync(wake, idle, clock, stopping).ConfigureAwait(false);
                idle = idle * 2 < IdleMax ? idle * 2 : IdleMax;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IndexException or IOException or InvalidOperationException)
            {
                failing = true;
                failed?.Invoke(e);
                Report(e);
                idle = IdleMax;
                try
                {
                    await Task.Delay(IdleMax, clock, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Report(Exception e)
    {
        var now = clock.GetUtcNow();
        if (now - _lastLogged >= LogEvery)
        {
            _lastLogged = now;
            JobLog.IndexFailed(logger, e.Message);
        }
    }
}
