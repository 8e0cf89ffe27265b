using System.Collections.Concurrent;

namespace Tessera.Core.Jobs;

/// <summary>In-process signals between the job service and the engine: work of a job paused or cancelled here stops at
/// once (other processes notice at their next renewal), and idle workers wake when there may be new work.</summary>
public sealed class JobSignals
{
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<object, Action>> _running = new();
    private volatile TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Registers running work of a job; disposing the result unregisters it.</summary>
    internal IDisposable Track(long jobId, Action stop)
    {
        var key = new object();
        _running.GetOrAdd(jobId, _ => new()).TryAdd(key, stop);
        return new Registration(() =>
        {
            if (_running.TryGetValue(jobId, out var set))
            {
                set.TryRemove(key, out _);
            }
        });
    }

    /// <summary>Stops this process's running work of a job.</summary>
    public void Stop(long jobId)
    {
        if (_running.TryGetValue(jobId, out var set))
        {
            foreach (var stop in set.Values)
            {
                stop();
            }
        }
    }

    /// <summary>Wakes idle workers and waiters: a job was created, resumed or ended, or units were written or completed.</summary>
    public void Wake() => Interlocked.Exchange(ref _wake, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>The wake-up to wait for: taken before looking (for work, or at a job), so a wake-up while looking is not missed.</summary>
    public Task Next => _wake.Task;

    /// <summary>Waits for <paramref name="wake"/> or the timeout, whichever comes first.</summary>
    internal static async Task WaitAsync(Task wake, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        try
        {
            await wake.WaitAsync(timeout, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Poll again.
        }
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
