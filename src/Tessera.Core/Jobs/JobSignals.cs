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

    /// <summary>Wakes idle workers: a job was created or resumed, or units were written.</summary>
    public void Wake() => Interlocked.Exchange(ref _wake, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits for a wake-up or the timeout, whichever comes first.</summary>
    internal async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        var wake = _wake.Task;
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
