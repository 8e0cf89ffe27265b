using System.Collections.Concurrent;

namespace Tessera.Core.Cache;

/// <summary>Keyed single-flight: concurrent callers for one key share one run of the work.</summary>
public sealed class SingleFlight<T>
{
    private readonly ConcurrentDictionary<string, Flight> _running = new(StringComparer.Ordinal);

    public int InFlight => _running.Count;

    /// <summary>Runs <paramref name="work"/> unless a run for <paramref name="key"/> is under way, then awaits it.
    /// The work is not cancelled when one waiter gives up: others may still need it.</summary>
    public Task<T> RunAsync(string key, Func<Task<T>> work) => RunAsync(key, WorkPriority.Live, _ => work());

    /// <summary>As <see cref="RunAsync(string, Func{Task{T}})"/>, at a priority the work passes to what it waits for.
    /// A live caller that joins a background run promotes it, so it never waits behind background work.</summary>
    public Task<T> RunAsync(string key, WorkPriority priority, Func<FlightPriority, Task<T>> work)
    {
        var flight = _running.GetOrAdd(key, k => new Flight(new FlightPriority(priority), p => RunAndForget(k, p, work)));
        if (priority == WorkPriority.Live)
        {
            flight.Priority.Promote();
        }

        return flight.Run.Value;
    }

    private async Task<T> RunAndForget(string key, FlightPriority priority, Func<FlightPriority, Task<T>> work)
    {
        try
        {
            return await work(priority).ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(key, out _);
        }
    }

    private sealed class Flight
    {
        public Flight(FlightPriority priority, Func<FlightPriority, Task<T>> run)
        {
            Priority = priority;
            Run = new Lazy<Task<T>>(() => run(priority), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public FlightPriority Priority { get; }

        public Lazy<Task<T>> Run { get; }
    }
}
